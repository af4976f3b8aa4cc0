"""The fast widgets render exactly what WTForms' own would, only quicker."""

from datetime import date, time

import pytest
import wtforms
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from learning_hub import widgets

CHOICES = [SelectChoice(0, "Choose"), SelectChoice(7, "C-7K3F & <friends>"), SelectChoice(9, "")]
GROUPED = [
    SelectChoice(1, "C-1", optgroup="Open"),
    SelectChoice(2, 'C-2 "quoted"', optgroup="Open"),
    SelectChoice(3, "C-3", optgroup="Closed & gone"),
]
HOSTILE = '"><script>alert(1)</script>'

# (field name, constructor arguments, submitted value) for every fast field.
FIELDS = [
    ("StringField", {"validators": [DataRequired(), Length(max=80)]}, HOSTILE),
    ("TextAreaField", {"validators": [InputRequired(), Length(min=2, max=500)]}, HOSTILE),
    ("EmailField", {"validators": [Optional()]}, "a&b@example.org"),
    ("PasswordField", {"validators": [DataRequired()]}, 'secret "typed"'),
    ("IntegerField", {"validators": [NumberRange(min=1, max=90)]}, "45"),
    ("DateField", {}, "2026-12-02"),
    ("TimeField", {}, "09:30"),
    ("HiddenField", {}, HOSTILE),
    ("BooleanField", {}, "y"),
    ("SelectField", {"choices": CHOICES, "coerce": int}, "7"),
    ("SelectField", {"choices": GROUPED, "coerce": int}, "2"),
]
# Attributes as templates pass them: booleans, numbers, Markup, aria/data names, class_.
RENDER_KW = [
    {},
    {"rows": 5, "aria-describedby": "body-hint body-error", "aria-invalid": "true"},
    {"class_": "wide", "data_role": "picker", "autofocus": True, "readonly": False},
    {"placeholder": Markup('Say "why" &amp; <em>how</em>'), "title": HOSTILE},
]


def _pair(name, kwargs):
    class Pair(Form):
        fast = getattr(widgets, name)(**kwargs)
        plain = getattr(wtforms, name)(**kwargs)

    return Pair


def _without_names(html, name):
    return str(html).replace(f'name="{name}"', "").replace(f'id="{name}"', "")


@pytest.mark.parametrize("render_kw", RENDER_KW, ids=range(len(RENDER_KW)))
@pytest.mark.parametrize(("name", "kwargs", "value"), FIELDS, ids=[f[0] for f in FIELDS])
def test_fast_field_matches_wtforms(name, kwargs, value, render_kw):
    """Empty, filled in and with template attributes: is the HTML byte for byte the same?"""
    pair = _pair(name, kwargs)
    for form in (pair(), pair(MultiDict({"fast": value, "plain": value}))):
        form.validate()
        ours = _without_names(form.fast(**render_kw), "fast")
        theirs = _without_names(form.plain(**render_kw), "plain")
        assert ours == theirs
        assert "<script>" not in ours


def test_fast_fields_are_still_wtforms_fields():
    """Do the fast fields parse and validate as WTForms' own do?"""

    class Typed(Form):
        when = widgets.DateField()
        at = widgets.TimeField()
        minutes = widgets.IntegerField(validators=[NumberRange(min=1)])

    form = Typed(MultiDict({"when": "2026-12-02", "at": "09:30", "minutes": "0"}))
    assert not form.validate()
    assert form.when.data == date(2026, 12, 2) and form.at.data == time(9, 30)
    assert form.minutes.errors


def test_options_with_their_own_attributes_fall_back_to_wtforms():
    """Does a choice carrying render_kw keep its extra attributes?"""

    class WithAttributes(Form):
        pick = widgets.SelectField(choices=[SelectChoice("a", "A", render_kw={"disabled": True})])

    assert "disabled" in str(WithAttributes().pick())
