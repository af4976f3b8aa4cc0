"""The account page: change one's password or e-mail address, see one's calendar feed,
and download everything one wrote."""

import json

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

from learning_hub.access import teams_for
from learning_hub.auth import services
from learning_hub.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
)
from learning_hub.auth.routes import login_rate_limit, reauth_locked_message
from learning_hub.auth.sessions import (
    fresh_login_required,
    start_session,
)
from learning_hub.core import audit, mail
from learning_hub.core.database import writing
from learning_hub.core.extensions import db, limiter
from learning_hub.core.urls import external_url
from learning_hub.privacy import export
from learning_hub.reviews.services import feed_for

bp = Blueprint("account", __name__, template_folder="templates")


def _account_page(form=None, email_form=None, status=200):
    feed = feed_for(current_user)
    feed_url = external_url("reviews.person_feed", feed_token=feed.token)
    page = render_template(
        "account/account.html",
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
        flash(reauth_locked_message(), "error")
        return redirect(url_for("auth.login"))
    field.errors.append("Your current password is not right")
    return False


@bp.post("/account")
@limiter.limit(login_rate_limit, methods=["POST"])
@fresh_login_required(back=lambda: url_for("account.account"))
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
        start_session(user)
        mail.send(
            user.email,
            "Your Learning Hub password has changed",
            f"Hello {user.display_name},\n\nThe password of your Learning Hub account has "
            "just been changed, and every other device has been logged out. If you did not "
            "do this, please tell your admin straight away.\n",
        )
        flash("Your password has been changed. Other devices have been logged out.", "success")
        return redirect(url_for("account.account"))
    return _account_page(form=form, status=400)


def _email_change_sent(address):
    """The one answer to an e-mail change, whether or not someone already has ``address``."""
    hours = current_app.config["EMAIL_CHANGE_TTL_HOURS"]
    flash(
        f"We have sent a link to {address}; your address changes when you open it "
        f"(within {hours} hours). Until then you keep logging in with your current address.",
        "success",
    )
    return redirect(url_for("account.account"))


@bp.post("/account/email")
@limiter.limit(login_rate_limit, methods=["POST"])
@fresh_login_required(back=lambda: url_for("account.account"))
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
            link = external_url("account.confirm_email_change", token=token)
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
        return render_template("account/email_change_invalid.html"), 404
    if request.method == "GET":
        return render_template("account/email_change.html", change=change)
    try:
        old = services.confirm_email_change(change)
    except ValueError:
        db.session.rollback()
        return render_template("account/email_change_invalid.html"), 404
    db.session.commit()
    start_session(user)
    mail.send(
        old,
        "Your Learning Hub email address has changed",
        f"Hello {user.display_name},\n\nThe email address of your Learning Hub "
        f"account has just been changed to {user.email}. If you did not do this, "
        "please tell your admin straight away.\n",
    )
    flash(f"Your email address is now {user.email}. Other devices have been logged out.", "success")
    return redirect(url_for("account.account"))


@bp.get("/account/export.json")
@fresh_login_required()
def export_personal_data():
    """Everything the person wrote, as one JSON file to keep (the export is audited)."""
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
