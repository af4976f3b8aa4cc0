"""Scheduling, agenda, notes and action forms."""

import re
from datetime import date, time

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from learning_hub.core.forms import BaseForm
from learning_hub.core.validators import MinutesField, SingleLine, within_years
from learning_hub.reviews.models import ItemKind

REPEATS = {
    "": ("Does not repeat", ""),
    "weekly": ("Every week", "FREQ=WEEKLY"),
    "fortnightly": ("Every second week", "FREQ=WEEKLY;INTERVAL=2"),
    "monthly": ("Every four weeks", "FREQ=WEEKLY;INTERVAL=4"),
    "custom": ("Custom rule (RFC 5545)", None),
}


class ScheduleForm(BaseForm):
    title = StringField(
        "Title",
        validators=[SingleLine(), DataRequired("Give the session a title"), Length(max=120)],
        default="Team reflection",
    )
    start_on = DateField("Date", validators=[InputRequired("Enter the date"), within_years])
    start_time = TimeField(
        "Start time", validators=[InputRequired("Enter the start time")], default=time(10, 0)
    )
    duration = MinutesField(
        "Length in minutes",
        default=90,
        validators=[
            InputRequired("Enter the length"),
            NumberRange(15, 480, "Sessions last between 15 minutes and 8 hours"),
        ],
    )
    location = StringField(
        "Place or video link (optional)", validators=[SingleLine(), Optional(), Length(max=300)]
    )
    repeat = SelectField("Repeats", choices=[SelectChoice(k, v[0]) for k, v in REPEATS.items()])
    custom_rule = StringField(
        "Custom rule",
        validators=[SingleLine(), Optional(), Length(max=300)],
        description="For example FREQ=MONTHLY;BYDAY=2TU for the second Tuesday of each month.",
    )
    until = DateField("Last date (optional)", validators=[Optional(), within_years])

    def validate_until(self, field):
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError("The last date cannot be before the first session")

    def validate_custom_rule(self, field):
        if self.repeat.data == "custom" and not (field.data or "").strip():
            raise ValidationError("Enter the rule, or choose a simpler repeat")

    def rule_text(self):
        _label, rule = REPEATS.get(self.repeat.data, REPEATS[""])
        return (self.custom_rule.data or "").strip() if rule is None else rule


class MoveForm(FlaskForm):
    start_on = DateField("New date", validators=[InputRequired("Enter the date"), within_years])
    start_time = TimeField("New start time", validators=[InputRequired("Enter the time")])
    duration = MinutesField(
        "Length in minutes",
        validators=[
            InputRequired("Enter the length"),
            NumberRange(15, 480, "Sessions last between 15 minutes and 8 hours"),
        ],
    )


class AgendaItemForm(BaseForm):
    kind = SelectField(
        "What it is about", choices=[SelectChoice(k.value, k.label) for k in ItemKind]
    )
    title = StringField(
        "What you want to bring",
        validators=[
            SingleLine("The agenda item"),
            DataRequired("Say what you want to bring"),
            Length(max=300),
        ],
    )
    case_id = SelectField("Case", coerce=int, validate_choice=False, default=0)
    case_reflection_id = SelectField(
        "Case reflection", coerce=int, validate_choice=False, default=0
    )
    module_slug = SelectField("Module", validate_choice=False, default="")
    reflection_id = SelectField("Shared reflection", coerce=int, validate_choice=False, default=0)
    timebox = MinutesField(
        "Time box in minutes (optional)",
        validators=[Optional(), NumberRange(1, 240, "Give a time box between 1 and 240 minutes")],
    )


class NotesForm(FlaskForm):
    notes = TextAreaField(
        "Notes",
        validators=[Optional(), Length(max=20_000, message="Keep the notes to 20,000 characters")],
    )
    decisions = TextAreaField(
        "Decisions",
        validators=[
            Optional(),
            Length(max=5_000, message="Keep the decisions to 5,000 characters"),
        ],
    )
    version = HiddenField()

    def validate_version(self, field):
        if not re.fullmatch(r"[0-9]{1,9}", field.data or "0"):
            raise ValidationError("This page is out of date. Reload it, then save your notes.")


class ActionForm(BaseForm):
    description = StringField(
        "Action",
        validators=[SingleLine(), DataRequired("Describe the action"), Length(max=500)],
    )
    owner_id = SelectField("Who will do it", coerce=int, validate_choice=False)
    due_on = DateField("Due (optional)", validators=[Optional(), within_years])

    def __init__(self, *args, owners=(), **kwargs):
        """``owners``: the (id, name) choices of who may take the action on."""
        super().__init__(*args, **kwargs)
        self.owner_id.choices = list(owners)

    def validate_due_on(self, field):
        if field.data and field.data < date.today():
            raise ValidationError("The due date cannot be in the past")


class DoneForm(FlaskForm):
    note = StringField(
        "A short note (optional)",
        validators=[
            SingleLine("The note"),
            Optional(),
            Length(max=500, message="Keep the note to 500 characters"),
        ],
    )
