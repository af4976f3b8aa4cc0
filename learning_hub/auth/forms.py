"""Log-in and password forms."""

from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from learning_hub.auth.passwords import MAX_LENGTH, password_problem
from learning_hub.auth.services import find_user_by_email, normalise_email
from learning_hub.validators import SingleLine
from learning_hub.widgets import EmailField, PasswordField


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[SingleLine(), DataRequired("Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=MAX_LENGTH * 4)],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordForm(FlaskForm):
    """Choose a password: used by invitations and by the account page."""

    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password")],
        description="12 to 128 characters. A few unrelated words together work well.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("password", "The two passwords do not match"),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_password(self, field):
        problem = password_problem(
            field.data or "",
            email=getattr(self._user, "email", ""),
            display_name=getattr(self._user, "display_name", ""),
        )
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password")],
        render_kw={"autocomplete": "current-password"},
    )


class ReauthenticateForm(FlaskForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=MAX_LENGTH * 4)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(FlaskForm):
    """A new email address, confirmed with the current password."""

    new_email = EmailField(
        "New email address",
        validators=[
            SingleLine(),
            DataRequired("Enter your new email address"),
            Email("Enter an email address in the right format, like name@example.org"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    email_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=MAX_LENGTH * 4)],
        render_kw={"autocomplete": "current-password"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_new_email(self, field):
        address = normalise_email(field.data)
        if self._user is not None and address == self._user.email:
            raise ValidationError("This is already your email address")
        if find_user_by_email(address):
            raise ValidationError("Someone else already uses this email address")
