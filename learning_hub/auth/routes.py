"""Log in, log out, accept an invitation, and the person's own account page."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from learning_hub.auth import services
from learning_hub.auth.forms import (
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ReauthenticateForm,
)
from learning_hub.auth.models import hash_token
from learning_hub.auth.sessions import mark_authenticated, start_session
from learning_hub.core import mail
from learning_hub.core.extensions import db, limiter
from learning_hub.core.urls import external_url, is_safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


def _lockout():
    config = current_app.config
    return config["LOCKOUT_THRESHOLD"], config["LOCKOUT_MINUTES"]


def login_failed_message():
    """What a refused log-in says: the lockout rule, as configured."""
    attempts, minutes = _lockout()
    return (
        f"The email address or password is not right. After {attempts} failed attempts in a "
        f"row an account is locked for {minutes} minutes."
    )


def reauth_locked_message():
    """What a person is told when wrong passwords while logged in have locked the account."""
    _, minutes = _lockout()
    return (
        "That password was not right too many times in a row, so you have been logged out "
        f"and your account is locked for {minutes} minutes."
    )


def reauth_failed_message():
    """What a wrong password while logged in says: the lockout rule, as configured."""
    attempts, minutes = _lockout()
    return (
        f"That password is not right. After {attempts} failed attempts in a row you are "
        f"logged out and your account is locked for {minutes} minutes."
    )


def login_rate_limit():
    """The rate limit on every form that takes a password (``LOGIN_RATE_LIMIT``)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    next_url = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_next(next_url) else url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            start_session(user)
            return redirect(next_url if is_safe_next(next_url) else url_for("dashboard.home"))
        db.session.commit()
        form.form_errors.append(login_failed_message())
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.post("/logout")
@login_required
def logout():
    services.log_out_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have logged out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def accept_invitation(token):
    invitation = services.find_usable_invitation(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = NewPasswordForm(user=invitation.user)
    if form.validate_on_submit():
        user = services.accept_invitation(invitation, form.password.data)
        db.session.commit()
        logout_user()
        start_session(user)
        flash("Your password is set. Welcome to Learning Hub.", "success")
        return redirect(url_for("dashboard.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/invitation.html", form=form, invitation=invitation), status


def _reset_address_limit():
    return current_app.config["PASSWORD_RESET_ADDRESS_LIMIT"]


def _reset_address_key():
    """The limiter's key for a reset request: a digest of the address typed, never the address."""
    return "reset:" + hash_token(services.normalise_email(request.form.get("email")))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
@limiter.limit(_reset_address_limit, methods=["POST"], key_func=_reset_address_key)
def forgot_password():
    """Ask for a reset link by email; every address gets the same answer."""
    if not mail.is_configured():
        if request.method == "POST":
            return redirect(url_for("auth.forgot_password"))
        return render_template("auth/forgot_password.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user, token = services.request_password_reset(form.email.data)
        db.session.commit()
        if user is not None:
            minutes = current_app.config["PASSWORD_RESET_TTL_MINUTES"]
            mail.send_after_response(
                user.email,
                "Reset your Learning Hub password",
                f"Hello {user.display_name},\n\nSomeone (we hope you) asked to reset the "
                "password of your Learning Hub account. Choose a new password here; the "
                f"link works once, within {minutes} minutes:\n\n"
                f"{external_url('auth.reset_password', token=token)}\n\n"
                "If you did not ask for this, you can ignore this email: your password "
                "stays as it is.\n",
            )
        return redirect(url_for("auth.forgot_password_sent"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.get("/password/forgot/sent")
def forgot_password_sent():
    return render_template(
        "auth/forgot_password_sent.html",
        minutes=current_app.config["PASSWORD_RESET_TTL_MINUTES"],
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def reset_password(token):
    """Choose a new password from a mailed link: every other session of the person ends."""
    reset = services.find_usable_password_reset(token)
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404
    form = NewPasswordForm(user=reset.user)
    if form.validate_on_submit():
        user = services.complete_password_reset(reset, form.password.data)
        db.session.commit()
        logout_user()
        start_session(user)
        mail.send(
            user.email,
            "Your Learning Hub password has been changed",
            f"Hello {user.display_name},\n\nThe password of your Learning Hub account has "
            "just been changed with a reset link sent to this address, and every device "
            "that was logged in has been logged out. If you did not do this, reset it "
            f"again at {external_url('auth.forgot_password')} and tell your admin "
            "straight away.\n",
        )
        flash("Your new password is set. Other devices have been logged out.", "success")
        return redirect(url_for("dashboard.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, reset=reset), status


@bp.route("/reauthenticate", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
@login_required
def reauthenticate():
    """Ask for the password again before a sensitive change, then go back to it."""
    next_url = request.args.get("next", "")
    if not is_safe_next(next_url):
        next_url = url_for("account.account")
    form = ReauthenticateForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        confirmed = services.reauthenticate(user, form.password.data)
        db.session.commit()
        if confirmed:
            mark_authenticated()
            return redirect(next_url)
        if user.is_locked():
            logout_user()
            flash(reauth_locked_message(), "error")
            return redirect(url_for("auth.login"))
        form.password.errors.append(reauth_failed_message())
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reauthenticate.html", form=form, next_url=next_url), status
