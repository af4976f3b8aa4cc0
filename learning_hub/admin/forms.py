"""Admin forms: inviting people, teams and memberships."""

import functools
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from learning_hub.auth.models import MembershipRole, Role, Team
from learning_hub.auth.services import find_user_by_email
from learning_hub.core.extensions import db
from learning_hub.core.forms import BaseForm, email_field
from learning_hub.core.validators import SingleLine

ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]
MEMBERSHIP_CHOICES = [SelectChoice(r.value, r.label) for r in MembershipRole]


@functools.cache
def _timezone_choices():
    """Every named time zone; read once, as listing them walks the whole tz database."""
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return tuple(SelectChoice(z, z.replace("_", " ")) for z in zones)


class InviteForm(BaseForm):
    email = email_field("Email address", "Enter the person's work email address")
    display_name = StringField(
        "Name shown to colleagues",
        validators=[
            SingleLine(),
            DataRequired("Enter the name colleagues know them by"),
            Length(max=120),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.STAFF.value)
    team_id = SelectField("Team (optional)", coerce=int, validators=[Optional()])
    team_role = SelectField("Role in that team", choices=MEMBERSHIP_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teams = db.session.scalars(db.select(Team).order_by(Team.name))
        self.team_id.choices = [SelectChoice(0, "No team yet")] + [
            SelectChoice(t.id, t.name) for t in teams
        ]

    def validate_email(self, field):
        if find_user_by_email(field.data):
            raise ValidationError("Someone with this email address already has an account")


class TeamForm(BaseForm):
    name = StringField(
        "Team name",
        validators=[SingleLine(), DataRequired("Enter a name for the team"), Length(max=80)],
    )
    description = TextAreaField(
        "What the team does (optional)", validators=[Optional(), Length(max=500)]
    )
    timezone = SelectField("Time zone", default="Europe/London")

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._team = team
        self.timezone.choices = list(_timezone_choices())

    def validate_name(self, field):
        existing = db.session.scalar(db.select(Team).where(Team.name == field.data.strip()))
        if existing is not None and existing is not self._team:
            raise ValidationError("There is already a team with this name")


class MembershipForm(BaseForm):
    email = EmailField(
        "Email address of the person",
        validators=[SingleLine(), DataRequired("Enter the email address of the person to add")],
    )
    role = SelectField("Role in the team", choices=MEMBERSHIP_CHOICES)

    def validate_email(self, field):
        user = find_user_by_email(field.data)
        if user is None:
            raise ValidationError(
                "Nobody has an account with this email address; invite them first"
            )
        self.user = user


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class EraseForm(FlaskForm):
    """Typing the person's email address confirms which account is being erased."""

    email = StringField(
        "Type their email address to confirm",
        validators=[
            SingleLine("The email address"),
            DataRequired("Type the person's email address to confirm the erasure"),
        ],
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self._person = person

    def validate_email(self, field):
        if field.data.strip().lower() != self._person.email.lower():
            raise ValidationError(
                "This is not the email address of the person you are erasing; "
                "check it and type it again"
            )
