"""Reflection, response, sharing and learning-goal forms."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learning_hub.content import PRINCIPLES
from learning_hub.core.forms import BaseForm
from learning_hub.core.validators import within_years
from learning_hub.modules.models import MAX_REFLECTION_LENGTH

PRIVATE = 0


def _length_check(limit, what):
    def check(form, field):
        if field.data and len(field.data) > limit:
            raise ValidationError(
                f"{what} can be up to {limit:,} characters; this one has {len(field.data):,}. "
                "Shorten it and save again."
            )

    return check


def _not_blank(message):
    def check(form, field):
        if not (field.data or "").strip():
            raise ValidationError(message)

    return check


class _ShareChoice:
    """Mixin: a 'share with' select limited to the viewer's own teams."""

    @staticmethod
    def team_choices(teams, private_label="Only me (private)"):
        """The picker's (value, label) pairs: private first, then each of ``teams``."""
        return ((PRIVATE, private_label), *((t.id, f"Share with {t.name}") for t in teams))

    def _set_team_choices(self, teams, private_label):
        self.share_team_id.choices = [
            SelectChoice(value, label) for value, label in self.team_choices(teams, private_label)
        ]
        self._teams = {t.id: t for t in teams}

    def validate_share_team_id(self, field):
        if field.data != PRIVATE and field.data not in self._teams:
            raise ValidationError("You can only share with a team you belong to")

    @property
    def share_team(self):
        return self._teams.get(self.share_team_id.data)


def _team_select():
    return SelectField(
        "Who can read it",
        coerce=int,
        default=PRIVATE,
        validate_choice=False,  # validate_share_team_id gives the clearer message
    )


class ReflectionForm(_ShareChoice, BaseForm):
    body = TextAreaField(
        "Your reflection",
        validators=[
            _not_blank("Write your reflection before saving"),
            _length_check(MAX_REFLECTION_LENGTH, "A reflection"),
        ],
        description="Markdown works: **bold**, *italic*, lists with '-'. Keep people anonymous.",
    )
    share_team_id = _team_select()

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_team_choices(teams, "Only me (private)")


class EditReflectionForm(FlaskForm):
    body = ReflectionForm.body


class SharingForm(_ShareChoice, FlaskForm):
    share_team_id = _team_select()

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_team_choices(teams, "Only me (private)")


class ResponseForm(BaseForm):
    body = TextAreaField(
        "Your response",
        validators=[
            _not_blank("Write a response before sending"),
            _length_check(MAX_REFLECTION_LENGTH, "A response"),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GoalForm(_ShareChoice, BaseForm):
    description = TextAreaField(
        "What do you want to get better at?",
        validators=[
            _not_blank("Describe the goal in a sentence or two"),
            _length_check(2_000, "A goal"),
        ],
        description="In your own words, tied to your own work. For example: "
        "'Explain the reason behind every licence condition in my first meeting.'",
    )
    principles = MultiCheckboxField(
        "Principles it draws on (optional)",
        choices=[SelectChoice(k, v) for k, v in PRINCIPLES.items()],
    )
    module_slugs = MultiCheckboxField("Modules you will use (optional)")
    target_on = DateField(
        "Target date (optional)",
        validators=[Optional(), within_years],
        description="A date you choose. Nobody checks it but you.",
    )
    share_team_id = _team_select()

    def __init__(self, *args, teams=(), library=(), is_new=True, **kwargs):
        super().__init__(*args, **kwargs)
        self._is_new = is_new
        self.module_slugs.choices = [SelectChoice(m.slug, m.title) for m in library]
        self._set_team_choices(teams, "Only me (private)")

    def validate_target_on(self, field):
        if field.data and self._is_new and field.data < date.today():
            raise ValidationError("Choose a target date from today onwards")
