"""Scheduling, agenda, notes and action forms."""

import re
from datetime import date, time

import sqlalchemy as sa
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

from learning_hub.auth.models import User
from learning_hub.cases.guard import NoIdentifiers
from learning_hub.cases.models import Case, CaseReflection
from learning_hub.core.extensions import db
from learning_hub.core.forms import BaseForm
from learning_hub.core.validators import MinutesField, SingleLine, within_years
from learning_hub.modules.models import Reflection
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
    """A proposal for a session's agenda, linked to one of its team's cases, case
    reflections, shared reflections or modules (the pickers list only those).

    ``team_id``: the session's team; ``library``: the loaded modules. Once valid,
    ``links`` holds what the item is about, as ``services.propose_item`` takes it.
    """

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

    def __init__(self, *args, team_id, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id, self.library, self.links = team_id, library, {}
        cases = db.session.execute(
            sa.select(Case.id, Case.code)
            .where(Case.team_id == team_id, Case.is_closed.is_(False))
            .order_by(Case.code)
        ).all()
        case_reflections = db.session.execute(
            sa.select(CaseReflection.id, Case.code, CaseReflection.created_at)
            .join(Case, CaseReflection.case_id == Case.id)
            .where(Case.team_id == team_id)
            .order_by(CaseReflection.created_at.desc())
            .limit(50)
        ).all()
        # Rows of what the choices show, not whole reflections.
        shared = db.session.execute(
            sa.select(
                Reflection.id,
                sa.func.coalesce(User.display_name, "Former member"),
                sa.func.substr(Reflection.prompt_text, 1, 60),
            )
            .outerjoin(User, Reflection.author_id == User.id)
            .where(Reflection.shared_team_id == team_id)
            .order_by(Reflection.shared_at.desc())
            .limit(50)
        ).all()
        self.case_id.choices = [(0, "Choose a case")] + [(c.id, c.code) for c in cases]
        self.case_reflection_id.choices = [(0, "Choose a case reflection")] + [
            (rid, f"{code}, {when:%-d %b}") for rid, code, when in case_reflections
        ]
        self.reflection_id.choices = [(0, "Choose a shared reflection")] + [
            (rid, f"{author}: {prompt}") for rid, author, prompt in shared
        ]
        self.module_slug.choices = [("", "Choose a module")] + [(m.slug, m.title) for m in library]

    def validate_kind(self, field):
        """The item's link must be one of its team's (or a loaded module)."""
        kind, links = field.data, {}
        if kind == ItemKind.CASE:
            links["case"] = self._in_team(Case, self.case_id.data)
        elif kind == ItemKind.CASE_REFLECTION:
            reflection = db.session.get(CaseReflection, self.case_reflection_id.data or 0)
            links["case_reflection"] = (
                reflection if reflection and reflection.case.team_id == self.team_id else None
            )
        elif kind == ItemKind.SHARED_REFLECTION:
            links["reflection"] = self._in_team(
                Reflection, self.reflection_id.data, column="shared_team_id"
            )
        elif kind == ItemKind.MODULE:
            module = self.library.get(self.module_slug.data)
            links["module_slug"] = module.slug if module else None
        missing = [name for name, value in links.items() if value is None]
        if missing:
            raise ValidationError(
                f"Choose the {missing[0].replace('_', ' ')} this item is about, "
                "from your team's list"
            )
        self.links = links

    def validate_title(self, field):
        """An item about a case must not identify anyone (checked once its link is good)."""
        if self.kind.errors or self.kind.data not in (ItemKind.CASE, ItemKind.CASE_REFLECTION):
            return
        NoIdentifiers("This looks like it identifies someone: {found}. Use the case code instead.")(
            self, field
        )

    def _in_team(self, model, object_id, column="team_id"):
        obj = db.session.get(model, object_id) if object_id else None
        return obj if obj is not None and getattr(obj, column) == self.team_id else None


class NotesForm(FlaskForm):
    """Notes and decisions on one agenda item; ``touches_case``: whether the item is about
    a case, so the anonymisation guard reads them."""

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

    def __init__(self, *args, touches_case=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.touches_case = touches_case

    def validate_notes(self, field):
        self._guard(field)

    def validate_decisions(self, field):
        self._guard(field)

    def _guard(self, field):
        field.findings = []
        if self.touches_case:
            NoIdentifiers("This looks like it identifies someone: {found}")(self, field)

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

    def validate_owner_id(self, field):
        if field.data not in {owner_id for owner_id, _name in self.owner_id.choices}:
            raise ValidationError("Choose someone from the team")

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
