"""Session lifetime: the user loader, idle expiry and an absolute maximum age."""

import time

from flask import current_app, request, session
from flask_login import current_user, logout_user
from sqlalchemy.orm import joinedload

from learning_hub.auth.models import Membership, User
from learning_hub.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id):
    """Load the person only while their session version still matches the cookie's."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(
        User,
        int(user_id),
        options=[joinedload(User.memberships).joinedload(Membership.team)],
    )
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def mark_session_started():
    now = int(time.time())
    session["started_at"] = now
    session["seen_at"] = now
    session.permanent = True


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
