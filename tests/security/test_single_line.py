"""One-line fields refuse line breaks and control characters, beside the field.

A title, a name or a place with a line break in it breaks every page, e-mail, calendar
feed and CSV export that shows it on one line; a control character is never typed, only
pasted or scripted. Multi-line fields (notes, reflections) keep their newlines and tabs.
"""

import importlib
import pkgutil

import pytest
import wtforms
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

import learning_hub
from learning_hub.auth.models import Team
from learning_hub.core.extensions import db
from learning_hub.core.validators import SingleLine
from learning_hub.reviews.models import AgendaItem
from learning_hub.selfchecks.forms import make_selfcheck_form
from tests.security.test_fuzz import (
    _field_id,
    _the_form,
    field_error,
    typed_value_kept,
)

# (form label in test_fuzz.forms, field, how the message names the field)
ONE_LINE_FIELDS = [
    ("login", "email", "Email address"),
    ("schedule", "title", "Title"),
    ("schedule", "location", "Place or video link"),
    ("schedule", "custom_rule", "Custom rule"),
    ("agenda", "title", "The agenda item"),
    ("action", "description", "Action"),
    ("trigger", "description", "The trigger"),
    ("case reflection", "other_feeling", "The feeling"),
    ("invite", "email", "Email address"),
    ("invite", "display_name", "Name shown to colleagues"),
    ("team", "name", "Team name"),
    ("team edit", "name", "Team name"),
    ("membership", "email", "Email address of the person"),
    ("purge", "code", "Case code"),
    ("purge", "reason", "The reason"),
]
# Forms whose fields are not in test_fuzz's table: (role, URL, valid values).
ACCOUNT_EMAIL = ("staff", "/account/email", {"new_email": "new@example.org", "email_password": "x"})

LINE_BREAKS = ["Line one\nline two", "Line one\r\nline two", "Ends with a break\r", "A\u2028B"]
CONTROLS = ["Tab\tseparated", "Bell\x07", "Escape\x1b[31m", "Delete\x7f", "CSI\x9b"]


@pytest.mark.parametrize(("label", "name", "called"), ONE_LINE_FIELDS)
def test_a_line_break_is_refused_beside_the_field(app, world, place, clients, label, name, called):
    """Is a line break in a one-line field refused beside it, with what was typed kept?"""
    _label, role, url, valid = _the_form(world, place, label)
    field_id = _field_id(valid, name)
    for value in LINE_BREAKS:
        response = clients[role].post(url, data={**valid, field_id: value})
        assert response.status_code == 400, (label, name, repr(value), response.status_code)
        assert f"{called} must be on one line" in (field_error(response, field_id) or ""), label
        assert typed_value_kept(response, field_id, value), (label, name, repr(value))


@pytest.mark.parametrize(("label", "name", "called"), ONE_LINE_FIELDS)
def test_a_control_character_is_refused_beside_the_field(
    app, world, place, clients, label, name, called
):
    """Is a tab or another control character in a one-line field refused beside it?"""
    _label, role, url, valid = _the_form(world, place, label)
    field_id = _field_id(valid, name)
    for value in CONTROLS:
        response = clients[role].post(url, data={**valid, field_id: value})
        assert response.status_code == 400, (label, name, repr(value), response.status_code)
        message = field_error(response, field_id)
        assert f"{called} cannot contain control characters, such as tabs" in (message or ""), (
            message
        )


def test_the_new_email_address_is_one_line(app, world, clients, smtp_sink):
    """Is a line break in a new e-mail address refused beside the field?"""
    role, url, valid = ACCOUNT_EMAIL
    response = clients[role].post(url, data={**valid, "new_email": "new@example.org\nBcc: x@y"})
    assert response.status_code == 400
    assert "New email address must be on one line" in (field_error(response, "new_email") or "")


def test_nothing_is_saved_when_a_title_has_a_line_break(app, world, place, clients):
    """Does a refused agenda title or team name leave nothing saved?"""
    _label, role, url, valid = _the_form(world, place, "agenda")
    before = db.session.scalar(db.select(db.func.count(AgendaItem.id)))
    clients[role].post(url, data={**valid, "title": "Rules\n<script>"})
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == before
    _label, role, url, valid = _the_form(world, place, "team")
    clients[role].post(url, data={**valid, "name": "West\r\nEast"})
    assert db.session.scalar(db.select(Team).where(Team.name.like("West%"))) is None


def test_the_action_done_note_says_why_it_was_refused(app, world, place, clients):
    """Is a line break in an action's done note refused with a message saying so?"""
    _label, role, url, valid = _the_form(world, place, "action done")
    response = clients[role].post(url, data={**valid, "note": "Done\nreally"})
    assert response.status_code == 302
    page = clients[role].get(response.headers["Location"]).get_data(as_text=True)
    assert "The note must be on one line" in page
    assert db.session.get(type(place["action"]), place["action"].id).done_at is None


@pytest.mark.parametrize(
    ("label", "name"),
    [("notes", "notes"), ("reflection edit", "body"), ("case", "context"), ("goal", "description")],
)
def test_multi_line_fields_keep_newlines_and_tabs(app, world, place, clients, label, name):
    """Do multi-line fields still take newlines and tabs?"""
    _label, role, url, valid = _the_form(world, place, label)
    field_id = _field_id(valid, name)
    response = clients[role].post(url, data={**valid, field_id: "First line\n\tindented\r\n"})
    assert response.status_code == 302, (label, response.status_code)


MULTI_LINE = (wtforms.TextAreaField, wtforms.PasswordField, wtforms.HiddenField)


def _form_classes(app):
    for info in pkgutil.walk_packages(learning_hub.__path__, "learning_hub."):
        if info.name.endswith(".forms") or info.name == "learning_hub.core.forms":
            importlib.import_module(info.name)
    library = app.extensions["content"].library
    found = {type(make_selfcheck_form(library.instrument, formdata=None))}
    pending = [FlaskForm]
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return found


def _one_line_fields(form_class):
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not isinstance(unbound, UnboundField):
            continue
        kind = unbound.field_class
        if issubclass(kind, wtforms.StringField) and not issubclass(kind, MULTI_LINE):
            validators = unbound.kwargs.get("validators")
            if validators is None and len(unbound.args) > 1:
                validators = unbound.args[1]
            yield f"{form_class.__qualname__}.{name}", list(validators or ())


def test_every_one_line_field_refuses_line_breaks(app):
    """Does every one-line text field of every form check for line breaks first?"""
    checked, missing = [], []
    with app.test_request_context():
        for form_class in _form_classes(app):
            for field, validators in _one_line_fields(form_class):
                checked.append(field)
                if not validators or not isinstance(validators[0], SingleLine):
                    missing.append(field)
    assert not missing, f"one-line fields without SingleLine() as their first check: {missing}"
    assert len(checked) >= 17, checked
