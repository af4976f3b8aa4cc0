"""Log-in and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from learning_hub.auth.passwords import MAX_LENGTH, password_problem
from learning_hub.core.forms import email_field
from learning_hub.core.validators import SingleLine


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


class ForgotPasswordForm(FlaskForm):
    email = email_field("Email address", "Enter your email address", autocomplete="username")


class ReauthenticateForm(FlaskForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=MAX_LENGTH * 4)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(FlaskForm):
    """A new email address, confirmed with the current password.

    Only the address's format is checked here: whether it is the person's own, or
    someone else's, is answered after the password (in the view), and someone else's
    is answered like a free one (see ``services.request_email_change``).
    """

    new_email = email_field(
        "New email address", "Enter your new email address", autocomplete="email"
    )
    email_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=MAX_LENGTH * 4)],
        render_kw={"autocomplete": "current-password"},
    )
