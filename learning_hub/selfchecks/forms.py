"""The self-check form, built from the instrument (as Indico builds survey forms)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from learning_hub.core.forms import BaseForm
from learning_hub.selfchecks.models import MAX_NOTE_LENGTH

RATING_ERROR = "Choose a rating from 0 to 4"


def item_field_name(item):
    return "item_" + item.id.replace("-", "_")


def note_field_name(section):
    return "note_" + section.key.replace("-", "_")


class _SelfCheckBase(BaseForm):
    instrument_version = HiddenField()

    def ratings(self):
        return {item.id: self[item_field_name(item)].data for item in self._instrument.items}

    def notes(self):
        return {s.key: self[note_field_name(s)].data or "" for s in self._instrument.sections}

    def item_fields(self, section):
        return [(item, self[item_field_name(item)]) for item in section.items]

    def note_field(self, section):
        return self[note_field_name(section)]


def _coerce_rating(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # refused by the range check with a clear message


def make_selfcheck_form(instrument, **kwargs):
    """A form class with a 0-4 radio group per item and a note per principle."""

    class SelfCheckForm(_SelfCheckBase):
        pass

    choices = [SelectChoice(str(n), f"{n}: {text}") for n, text in enumerate(instrument.scale)]
    for section in instrument.sections:
        for item in section.items:
            setattr(
                SelfCheckForm,
                item_field_name(item),
                RadioField(
                    item.text,
                    choices=choices,
                    coerce=_coerce_rating,
                    validators=[Optional(), NumberRange(0, 4, RATING_ERROR)],
                    validate_choice=False,
                ),
            )
        setattr(
            SelfCheckForm,
            note_field_name(section),
            TextAreaField(
                section.note_prompt,
                validators=[
                    Optional(),
                    Length(
                        max=MAX_NOTE_LENGTH,
                        message=f"Notes can be up to {MAX_NOTE_LENGTH:,} characters",
                    ),
                ],
            ),
        )
    form = SelfCheckForm(**kwargs)
    form._instrument = instrument
    return form


class ShareForm(FlaskForm):
    team_id = SelectField("Share with the facilitators of", coerce=int, validate_choice=False)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._teams = {t.id: t for t in teams}
        self.team_id.choices = [SelectChoice(t.id, t.name) for t in teams]

    def validate_team_id(self, field):
        if field.data not in self._teams:
            raise ValidationError("You can only share with a team you belong to")

    @property
    def team(self):
        return self._teams.get(self.team_id.data)


class CadenceForm(FlaskForm):
    weeks = SelectField(
        "Gentle reminder on members' home pages",
        coerce=int,
        choices=[SelectChoice(0, "No reminder")]
        + [SelectChoice(w, f"Every {w} weeks") for w in (4, 6, 8, 12, 16)],
    )
