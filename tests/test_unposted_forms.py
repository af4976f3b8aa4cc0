"""A form shown for a GET has its fields rendered once a day; its tokens are fresh on every page."""

import re
from datetime import date

import pytest

from learning_hub import forms
from learning_hub.cases.forms import EntryForm, TriggerForm
from learning_hub.cases.models import TimelineEntry
from learning_hub.extensions import db
from learning_hub.forms import Unposted, form_body
from learning_hub.modules.forms import ReflectionForm
from learning_hub.reviews.forms import ActionForm, NotesForm
from tests import factories

TEMPLATE = "cases/_forms.html"
TOKEN = re.compile(r'(name="[\w-]*submission_token" type="hidden" value=")[0-9a-f]{32}"')


def tokens_blanked(html):
    return TOKEN.sub(r'\1token"', str(html))


@pytest.fixture(autouse=True)
def empty_memo():
    forms._unposted_fields.cache_clear()
    yield
    forms._unposted_fields.cache_clear()


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize(
    ("form_class", "macro"), [(EntryForm, "entry_fields"), (TriggerForm, "trigger_fields")]
)
def test_an_unposted_form_renders_what_the_form_itself_renders(app, app_config, form_class, macro):
    """Are an Unposted form's tokens and fields, HTML for HTML, those of the form itself?"""
    with app.test_request_context():
        real = form_body(form_class(formdata=None), TEMPLATE, macro)
        unposted = form_body(Unposted(form_class), TEMPLATE, macro)
        assert 'name="csrf_token"' in real
        assert tokens_blanked(unposted) == tokens_blanked(real)


def test_fields_are_rendered_once_and_tokens_every_time(app):
    """Is the second rendering's token new while its fields came from the first?"""
    with app.test_request_context():
        first = form_body(Unposted(EntryForm), TEMPLATE, "entry_fields")
        second = form_body(Unposted(EntryForm), TEMPLATE, "entry_fields")
    assert forms._unposted_fields.cache_info().hits == 1
    assert TOKEN.search(first).group(0) != TOKEN.search(second).group(0)
    assert tokens_blanked(first) == tokens_blanked(second)


def test_a_prefixed_form_names_its_tokens_with_the_prefix(app):
    """Do a prefixed Unposted form's tokens carry the prefix the posted form will read them by?"""
    with app.test_request_context():
        real = form_body(EntryForm(prefix="e1", formdata=None), TEMPLATE, "entry_fields")
        unposted = form_body(Unposted(EntryForm, prefix="e1"), TEMPLATE, "entry_fields")
    assert 'name="e1-submission_token"' in unposted
    assert tokens_blanked(unposted) == tokens_blanked(real)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_form_rendered_from_the_memo_posts_and_saves_once(app_config, staff_client, world):
    """Does a case page's empty entry form post with its CSRF token, and save only once?"""
    case = factories.create_case(world.north, world.staff)
    html = staff_client.get(f"/cases/{case.id}").get_data(as_text=True)
    form = html[html.index(f'action="/cases/{case.id}/entries"') :]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    token = re.search(r'name="submission_token" type="hidden" value="([0-9a-f]{32})"', form)
    data = {
        "csrf_token": csrf,
        "submission_token": token.group(1),
        "occurred_on": date.today().isoformat(),
        "method": "phone",
        "initiated_by": "worker",
        "outcome": "reached",
        "note": "Talked about the bus route to the clinic.",
    }
    assert staff_client.post(f"/cases/{case.id}/entries", data=data).status_code == 302
    again = staff_client.post(f"/cases/{case.id}/entries", data=data)
    assert "already saved" in staff_client.get(again.location).get_data(as_text=True)
    count = db.select(db.func.count(TimelineEntry.id)).where(TimelineEntry.case_id == case.id)
    assert db.session.scalar(count) == 1


def test_a_refused_form_is_rendered_from_what_was_typed(staff_client, world):
    """Is a form with errors rendered live, with the person's text kept, not from the memo?"""
    case = factories.create_case(world.north, world.staff)
    staff_client.get(f"/cases/{case.id}")
    response = staff_client.post(
        f"/cases/{case.id}/triggers", data={"kind": "feelings", "description": ""}
    )
    assert response.status_code == 400
    typed = staff_client.post(
        f"/cases/{case.id}/triggers",
        data={"kind": "behaviour", "description": "x" * 501},
    )
    html = typed.get_data(as_text=True)
    assert typed.status_code == 400
    assert "x" * 501 in html
    assert '<option selected value="behaviour">' in html


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_with_data_and_choices_render_as_built_by_hand(app, app_config):
    """Do notes with their data, and an action form with its owners, render as the forms do?"""
    notes = (("notes", "We agreed <texts>."), ("decisions", "Try mornings."), ("version", "3"))
    owners = ((7, "Ama Owusu"), (9, "Sam Staff"))
    with app.test_request_context():
        real_notes = NotesForm(formdata=None, prefix="item4", **dict(notes))
        real_action = ActionForm(formdata=None, prefix="action4")
        real_action.owner_id.choices = list(owners)
        pairs = [
            (real_notes, Unposted(NotesForm, prefix="item4", data=notes), "notes_fields"),
            (
                real_action,
                Unposted(ActionForm, prefix="action4", choices=(("owner_id", owners),)),
                "action_fields",
            ),
        ]
        rendered = {}
        for real, unposted, macro in pairs:
            rendered[macro] = form_body(unposted, "reviews/_forms.html", macro)
            expected = form_body(real, "reviews/_forms.html", macro)
            assert tokens_blanked(rendered[macro]) == tokens_blanked(expected)
    assert ">\r\nWe agreed &lt;texts&gt;.</textarea>" in rendered["notes_fields"]
    assert '<option value="9">Sam Staff</option>' in rendered["action_fields"]


def test_a_session_page_shows_saved_notes_and_new_members_at_once(world, login):
    """After notes are saved and someone joins the team, does the next view show both?"""
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    facilitator = login(world.facilitator)
    url = f"/sessions/{session.id}"
    assert facilitator.get(url).status_code == 200
    prefix = f"item{item.id}-"
    saved = facilitator.post(
        f"{url}/agenda/{item.id}/notes",
        data={
            prefix + "notes": "Texts before letters.",
            prefix + "decisions": "",
            prefix + "version": "1",
        },
    )
    assert saved.status_code == 302
    newcomer = factories.create_user(
        email="newcomer@example.org", name="Nia Newcomer", teams={world.north: "member"}
    )
    html = facilitator.get(url).get_data(as_text=True)
    assert ">\r\nTexts before letters.</textarea>" in html
    assert f'name="{prefix}version" type="hidden" value="2"' in html
    assert f'<option value="{newcomer.id}">Nia Newcomer</option>' in html


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_reflection_form_offers_the_same_teams_either_way(app, app_config, world):
    """Does the module page's form, rendered once, offer exactly the person's teams?"""
    teams = [world.north, world.south]
    share = (("share_team_id", ReflectionForm.team_choices(teams)),)
    with app.test_request_context():
        real = form_body(
            ReflectionForm(teams=teams, prefix="p1", formdata=None),
            "modules/_forms.html",
            "reflection_fields",
        )
        unposted = form_body(
            Unposted(ReflectionForm, prefix="p1", choices=share),
            "modules/_forms.html",
            "reflection_fields",
        )
    assert tokens_blanked(unposted) == tokens_blanked(real)
    assert '<option selected value="0">Only me (private)</option>' in unposted
    assert f'<option value="{world.south.id}">Share with {world.south.name}</option>' in unposted


def test_the_pattern_form_shows_the_pattern_the_team_last_recorded(staff_client, world):
    """After the team records a pattern, and then another, does the form select each in turn?"""
    case = factories.create_case(world.north, world.staff)
    url = f"/cases/{case.id}"
    assert '<option selected value="">Not decided</option>' in staff_client.get(url).get_data(
        as_text=True
    )
    for pattern in ("sporadic", "steady"):
        saved = staff_client.post(f"{url}/pattern", data={"pattern": pattern})
        assert saved.status_code == 302
        html = staff_client.get(url).get_data(as_text=True)
        select = html[html.index('id="pattern-select"') :]
        select = select[: select.index("</select>")]
        assert f'<option selected value="{pattern}">' in select
        assert select.count("<option selected") == 1


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_page_of_several_forms_repeats_no_id(app_config, staff_client, world):
    """Do the case page's hidden tokens leave every id on the page used once?"""
    case = factories.create_case(world.north, world.staff)
    html = staff_client.get(f"/cases/{case.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert html.count('name="csrf_token"') >= 3
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
