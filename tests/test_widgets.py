"""The fast select widget renders exactly what WTForms' own would, only quicker."""

import pytest
from wtforms import Form, SelectChoice
from wtforms import SelectField as WTFormsSelectField

from learning_hub.widgets import SelectField

CHOICES = [SelectChoice(0, "Choose"), SelectChoice(7, "C-7K3F & <friends>"), SelectChoice(9, "")]


class Pair(Form):
    fast = SelectField(choices=CHOICES, coerce=int)
    plain = WTFormsSelectField(choices=CHOICES, coerce=int)


@pytest.mark.parametrize("chosen", ["0", "7", "9"])
def test_fast_select_matches_wtforms(chosen):
    """Does every option (escaped label, value fallback, selection) match WTForms' output?"""
    from werkzeug.datastructures import MultiDict

    form = Pair(MultiDict({"fast": chosen, "plain": chosen}))
    ours = str(form.fast()).replace('name="fast"', "").replace('id="fast"', "")
    theirs = str(form.plain()).replace('name="plain"', "").replace('id="plain"', "")
    assert ours == theirs
    assert "&lt;friends&gt;" in ours and "<friends>" not in ours


def test_options_with_their_own_attributes_fall_back_to_wtforms():
    """Does a choice carrying render_kw keep its extra attributes?"""

    class WithAttributes(Form):
        pick = SelectField(choices=[SelectChoice("a", "A", render_kw={"disabled": True})])

    assert "disabled" in str(WithAttributes().pick())
