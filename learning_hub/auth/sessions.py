"""Session lifetime: the user loader, idle expiry, an absolute maximum age, fresh log-ins."""

import time
from functools import wraps

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.orm import joinedload

from learning_hub.auth.models import Membership, User
from learning_hub.core.extensions import db, login_manager


def _person(user_id):
    """The ``User`` with their memberships and the memberships' teams, in one statement."""
    statement = (
        sa.select(User)
        .options(joinedload(User.memberships).joinedload(Membership.team))
        .where(User.id == user_id)
    )
    return db.session.execute(statement).unique().scalar_one_or_none()


@login_manager.user_loader
def load_user(session_id):
    """The logged-in ``User``, only while their session version still matches the cookie's.

    Every request, reading or writing, gets the same ``User`` with their teams joined in.
    """
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = _person(int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def mark_session_started():
    now = int(time.time())
    session["started_at"] = now
    session["seen_at"] = now
    session.permanent = True
    mark_authenticated()


def mark_authenticated():
    """Remember that the person has just proved who they are (log-in, invitation, password)."""
    session["authenticated_at"] = int(time.time())


def is_fresh():
    """True when the person logged in or re-entered their password within REAUTH_MINUTES."""
    # Sessions started before this was recorded have only their start time, which
    # is when that person logged in.
    authenticated = session.get("authenticated_at", session.get("started_at", 0))
    return int(time.time()) - authenticated <= current_app.config["REAUTH_MINUTES"] * 60


def fresh_login_required(back=None, methods=None):
    """Send a request to ``/reauthenticate`` unless the person logged in recently.

    ``back(**view_args)`` names the page to return to afterwards (the form the
    person was using); by default the URL that was posted to. ``methods`` limits the
    check to those methods (a page whose GET only shows the form it then posts).
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if (methods is None or request.method in methods) and not is_fresh():
                target = back(**kwargs) if back else request.path
                flash(
                    "For your security, please enter your password again, then carry on "
                    "where you were.",
                    "gentle",
                )
                return redirect(url_for("auth.reauthenticate", next=target))
            return view(*args, **kwargs)

        return wrapped

    return decorator


def enforce_session_limits():
    """End sessions idle longer than IDLE_TIMEOUT_MINUTES or older than SESSION_MAX_HOURS."""
    if request.endpoint in (None, "static", "site.healthz") or not current_user.is_authenticated:
        return
    now = int(time.time())
    idle = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    longest = current_app.config["SESSION_MAX_HOURS"] * 3600
    started, seen = session.get("started_at", 0), session.get("seen_at", 0)
    if now - seen > idle or now - started > longest:
        logout_user()
        session.clear()
        return
    if now - seen >= 30:  # refresh at most every 30 s to spare cookie rewrites
        session["seen_at"] = now


def start_session(user):
    """Log ``user`` in on a session that carries nothing from before (no fixation).

    Clearing it also drops Flask-WTF's CSRF secret, so forms get a new one: a token
    captured before log-in does not work after it.
    """
    session.clear()
    login_user(user)
    mark_session_started()
