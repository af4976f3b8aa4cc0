"""Case forms. Every free-text field passes the anonymisation guard before it is saved."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learning_hub.cases.guard import NoIdentifiers
from learning_hub.cases.models import (
    AGE_BANDS,
    FEELINGS,
    Gender,
    Initiator,
    Method,
    Outcome,
    Pattern,
    TriggerKind,
)
from learning_hub.core.forms import BaseForm
from learning_hub.core.validators import SingleLine, within_years


def _choices(enum_cls):
    return [SelectChoice(m.value, m.label) for m in enum_cls]


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError("The date cannot be in the future")


def _text(label, limit, required=None, **kwargs):
    validators = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(
        label,
        validators=[
            *validators,
            Length(max=limit, message=f"Keep it to {limit:,} characters"),
            NoIdentifiers(),
        ],
        **kwargs,
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CaseForm(BaseForm):
    gender = SelectField(
        "Gender (optional, coarse)", choices=_choices(Gender), default=Gender.NOT_RECORDED.value
    )
    age_band = SelectField(
        "Age band (optional)",
        choices=[SelectChoice("", "Not recorded")] + [SelectChoice(b, b) for b in AGE_BANDS],
        default="",
    )
    context = _text(
        "Context",
        4_000,
        description=(
            "What the service is for and what matters to the person, without names, places, "
            "contact details or dates of birth."
        ),
    )


class EntryForm(BaseForm):
    occurred_on = DateField(
        "Date",
        validators=[InputRequired("Enter the date"), not_in_future, within_years],
        default=date.today,
    )
    method = SelectField("How", choices=_choices(Method))
    initiated_by = SelectField("Who reached out", choices=_choices(Initiator))
    outcome = SelectField("What happened", choices=_choices(Outcome))
    note = _text("Note (optional)", 1_000, description="A line on what happened or got in the way.")


class PatternForm(FlaskForm):
    pattern = SelectField("Pattern", choices=[SelectChoice("", "Not decided")] + _choices(Pattern))


class TriggerForm(BaseForm):
    kind = SelectField("Kind", choices=_choices(TriggerKind))
    description = StringField(
        "What sets it off",
        validators=[
            SingleLine("The trigger"),
            DataRequired("Describe the trigger in a few words"),
            Length(max=500, message="Keep it to 500 characters"),
            NoIdentifiers(),
        ],
    )


class PlanForm(FlaskForm):
    made_with_person = RadioField(
        "Was this plan made with the person?",
        choices=[
            SelectChoice("yes", "Yes: we made it together"),
            SelectChoice("no", "No: it was written for them"),
        ],
        validators=[InputRequired("Say whether the plan was made with the person")],
    )
    preferred_times = _text("Times that suit them", 1_000)
    preferred_methods = MultiCheckboxField(
        "How they prefer to be contacted", choices=_choices(Method)
    )
    others_may_contact = _text("Who else may be contacted, and when", 1_000)
    during_disengagement = _text(
        "What happens if contact drops",
        2_000,
        required="Say what will happen during a disengaged spell",
    )
    reminders = _text("Agreed reminders", 1_000)
    agreed_on = DateField(
        "Date agreed",
        validators=[InputRequired("Enter the date agreed"), not_in_future, within_years],
    )
    review_on = DateField("Review by (optional)", validators=[Optional(), within_years])

    def validate_review_on(self, field):
        if field.data and self.agreed_on.data and field.data < self.agreed_on.data:
            raise ValidationError("The review date cannot be before the date agreed")


class CaseReflectionForm(BaseForm):
    identify = _text("Identify: the history", 6_000, required="Describe the engagement history")
    analyse = _text(
        "Analyse: what the triggers and our own rules contributed",
        6_000,
        required="Say what you think contributed",
    )
    plan = _text("Plan: what to try together", 6_000, required="Say what you will try")
    feelings = MultiCheckboxField(
        "What this case stirs in you (optional)",
        choices=[SelectChoice(f, f.capitalize()) for f in FEELINGS],
    )
    other_feeling = StringField(
        "Another feeling, in a word or two",
        validators=[SingleLine("The feeling"), Optional(), Length(max=200), NoIdentifiers()],
    )


class CaseResponseForm(BaseForm):
    body = _text("Your response", 6_000, required="Write a response before sending")


class PurgeForm(FlaskForm):
    code = StringField("Case code", validators=[SingleLine(), DataRequired("Enter the case code")])
    reason = StringField(
        "Why it must be removed",
        validators=[
            SingleLine("The reason"),
            DataRequired("Give the reason; it is kept in the audit log"),
            Length(max=300),
            NoIdentifiers(),
        ],
    )
