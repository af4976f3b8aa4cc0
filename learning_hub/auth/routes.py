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
from flask_login import current_user, login_required, login_user, logout_user

from learning_hub import audit, mail
from learning_hub.access import teams_for
from learning_hub.auth import services
from learning_hub.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    ReauthenticateForm,
)
from learning_hub.auth.models import hash_token
from learning_hub.auth.sessions import (
    fresh_login_required,
    mark_authenticated,
    mark_session_started,
)
from learning_hub.database import writing
from learning_hub.extensions import db, limiter
from learning_hub.urls import external_url

bp = Blueprint("auth", __name__, template_folder="templates")

LOGIN_FAILED = (
    "The email address or password is not right. After 5 failed attempts in a row "
    "an account is locked for 15 minutes."
)
REAUTH_LOCKED = (
    "That password was not right too many times in a row, so you have been logged out "
    "and your account is locked for 15 minutes."
)
REAUTH_FAILED = (
    "That password is not right. After 5 failed attempts in a row you are logged out "
    "and your account is locked for 15 minutes."
)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _start_session(user):
    """Log ``user`` in on a session that carries nothing from before (no fixation).

    Clearing it also drops Flask-WTF's CSRF secret, so forms get a new one: a token
    captured before log-in does not work after it.
    """
    session.clear()
    login_user(user)
    mark_session_started()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    next_url = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(next_url if services.is_safe_next(next_url) else url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            _start_session(user)
            return redirect(
                next_url if services.is_safe_next(next_url) else url_for("dashboard.home")
            )
        db.session.commit()
        form.form_errors.append(LOGIN_FAILED)
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
@limiter.limit(_login_limit, methods=["POST"])
def accept_invitation(token):
    invitation = services.find_usable_invitation(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = NewPasswordForm(user=invitation.user)
    if form.validate_on_submit():
        user = services.accept_invitation(invitation, form.password.data)
        db.session.commit()
        logout_user()
        _start_session(user)
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
@limiter.limit(_login_limit, methods=["POST"])
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
@limiter.limit(_login_limit, methods=["POST"])
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
        _start_session(user)
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
@limiter.limit(_login_limit, methods=["POST"])
@login_required
def reauthenticate():
    """Ask for the password again before a sensitive change, then go back to it."""
    next_url = request.args.get("next", "")
    if not services.is_safe_next(next_url):
        next_url = url_for("auth.account")
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
            flash(REAUTH_LOCKED, "error")
            return redirect(url_for("auth.login"))
        form.password.errors.append(REAUTH_FAILED)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reauthenticate.html", form=form, next_url=next_url), status


def _account_page(form=None, email_form=None, status=200):
    from learning_hub.reviews.services import feed_for

    feed = feed_for(current_user)
    feed_url = external_url("reviews.person_feed", feed_token=feed.token)
    page = render_template(
        "auth/account.html",
        form=form or ChangePasswordForm(user=current_user, formdata=None),
        email_form=email_form or ChangeEmailForm(formdata=None),
        can_change_email=mail.is_configured(),
        teams=teams_for(current_user),
        feed_url=feed_url,
    )
    db.session.commit()  # only writes when the feed was created just now
    return page, status


@bp.get("/account")
@login_required
def account():
    return _account_page()


def _check_current_password(user, field):
    """Check an account form's current password through the log-in's failure count.

    Returns None when it is right; otherwise the form's field gets the error, or, once
    the failures lock the account, a redirect to log in (the sessions have ended, as
    on /reauthenticate). The count is committed either way.
    """
    confirmed = services.reauthenticate(user, field.data)
    db.session.commit()
    if confirmed:
        return None
    if user.is_locked():
        logout_user()
        session.clear()
        flash(REAUTH_LOCKED, "error")
        return redirect(url_for("auth.login"))
    field.errors.append("Your current password is not right")
    return False


@bp.post("/account")
@limiter.limit(_login_limit, methods=["POST"])
@fresh_login_required(back=lambda: url_for("auth.account"))
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user=user)
    if form.validate_on_submit():
        refused = _check_current_password(user, form.current_password)
        if refused is not None:
            return refused or _account_page(form=form, status=400)
        services.set_password(user, form.password.data)
        audit.record("user.password_changed", user)
        db.session.commit()
        # The version bump ended every session, this one included: start it again.
        _start_session(user)
        mail.send(
            user.email,
            "Your Learning Hub password has changed",
            f"Hello {user.display_name},\n\nThe password of your Learning Hub account has "
            "just been changed, and every other device has been logged out. If you did not "
            "do this, please tell your admin straight away.\n",
        )
        flash("Your password has been changed. Other devices have been logged out.", "success")
        return redirect(url_for("auth.account"))
    return _account_page(form=form, status=400)


def _email_change_sent(address):
    """The one answer to an e-mail change, whether or not someone already has ``address``."""
    hours = current_app.config["EMAIL_CHANGE_TTL_HOURS"]
    flash(
        f"We have sent a link to {address}; your address changes when you open it "
        f"(within {hours} hours). Until then you keep logging in with your current address.",
        "success",
    )
    return redirect(url_for("auth.account"))


@bp.post("/account/email")
@limiter.limit(_login_limit, methods=["POST"])
@fresh_login_required(back=lambda: url_for("auth.account"))
def change_email():
    """Send a confirmation link to a new address (the change waits for the link)."""
    user = current_user._get_current_object()
    if not mail.is_configured():
        return _account_page(status=400)
    form = ChangeEmailForm()
    if form.validate_on_submit():
        refused = _check_current_password(user, form.email_password)
        if refused is not None:
            return refused or _account_page(email_form=form, status=400)
        address = services.normalise_email(form.new_email.data)
        if address == user.email:
            form.new_email.errors.append("This is already your email address")
            return _account_page(email_form=form, status=400)
        token = services.request_email_change(user, address)
        db.session.commit()
        if token is None:
            mail.send(
                address,
                "Someone tried to use your address on Learning Hub",
                "Hello,\n\nSomeone asked for their Learning Hub account to use this email "
                "address, which already belongs to your account. Nothing has changed and you "
                "need not do anything.\n",
            )
        else:
            link = external_url("auth.confirm_email_change", token=token)
            hours = current_app.config["EMAIL_CHANGE_TTL_HOURS"]
            mail.send(
                address,
                "Confirm your new Learning Hub email address",
                f"Hello {user.display_name},\n\nTo make this the email address of your "
                f"Learning Hub account, open this link within {hours} hours and log in if "
                f"asked:\n\n{link}\n\nIf you did not ask for this, ignore this message: "
                "nothing changes.\n",
            )
        return _email_change_sent(address)
    return _account_page(email_form=form, status=400)


@bp.route("/account/email/<token>", methods=["GET", "POST"])
@login_required
def confirm_email_change(token):
    """Open the link sent to a new address: a button (a POST) makes the change."""
    user = current_user._get_current_object()
    change = services.find_usable_email_change(token, user)
    if change is None:
        return render_template("auth/email_change_invalid.html"), 404
    if request.method == "GET":
        return render_template("auth/email_change.html", change=change)
    try:
        old = services.confirm_email_change(change)
    except ValueError:
        db.session.rollback()
        return render_template("auth/email_change_invalid.html"), 404
    db.session.commit()
    _start_session(user)
    mail.send(
        old,
        "Your Learning Hub email address has changed",
        f"Hello {user.display_name},\n\nThe email address of your Learning Hub "
        f"account has just been changed to {user.email}. If you did not do this, "
        "please tell your admin straight away.\n",
    )
    flash(f"Your email address is now {user.email}. Other devices have been logged out.", "success")
    return redirect(url_for("auth.account"))


@bp.get("/account/export.json")
@fresh_login_required()
def export_personal_data():
    """Everything the person wrote, as one JSON file to keep (the export is audited)."""
    import json

    from learning_hub.privacy import export

    user = current_user._get_current_object()
    data = export.export_personal_data(user)
    with writing():
        export.record_export(user)
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False),
        mimetype="application/json",
    )
    stamp = data["exported_at"][:10]
    response.headers["Content-Disposition"] = (
        f'attachment; filename="learning-hub-my-data-{stamp}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
