"""Session lifetime: the user loader, idle expiry, an absolute maximum age, fresh log-ins."""

import functools
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import UserMixin, current_user, login_required, logout_user
from itsdangerous import BadSignature
from sqlalchemy.orm import joinedload

from learning_hub.auth.models import (
    Membership,
    MembershipRole,
    Person,
    Role,
    Team,
    TeamAccess,
    User,
)
from learning_hub.database import (
    READ_ONLY_METHODS,
    read,
    reading_identity,
    reading_in_autocommit,
    start_writing,
)
from learning_hub.extensions import db, login_manager


# Built once: every request runs it, and building a statement with its eager
# loads costs more than executing it (see "Statements built once" in README.md).
@functools.cache
def _person_with_teams_query():
    return (
        sa.select(User)
        .options(joinedload(User.memberships).joinedload(Membership.team))
        .where(User.id == sa.bindparam("user_id"))
    )


def _person(user_id):
    return (
        db.session.execute(_person_with_teams_query(), {"user_id": user_id})
        .unique()
        .scalar_one_or_none()
    )


# Plain values only: a session holding a list (flashed messages) is read afresh each
# time, so nothing one request changes in place reaches the next.
_SCALARS = (str, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, checked once per cookie rather than per request.

    Flask builds a new serializer (and its signer's settings) twice a request, to
    read the cookie and to write it; the keys it is built from change only with
    the configuration, so it is kept with them. Reading the cookie (its HMAC, its
    base64 and its tagged JSON) cost a page about a tenth of its time, and a
    person's browser sends the same cookie on every request until it changes (at
    most every 30 s, ``enforce_session_limits``): so the values of a cookie whose
    signature was good are kept beside the exact cookie and the time it was signed,
    and the same cookie later is answered from them, still refused once older than
    the session lifetime, as itsdangerous would. Another cookie, a tampered one
    included, is a different key and is checked in full.
    """

    OPENED_ENTRIES = 4096

    def __init__(self):
        self._opened = {}
        self._lock = threading.Lock()

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = app.extensions.get("session_serializer")
        if kept is None or kept[0] != keys:
            kept = (keys, super().get_signing_serializer(app))
            app.extensions["session_serializer"] = kept
        return kept[1]

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.extensions["session_serializer"][0], cookie)
        kept = self._opened.get(key)
        if kept is not None:
            values, signed_at = kept
            if time.time() - signed_at > max_age:
                return self.session_class()
            return self.session_class(values)
        try:
            values, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(value, _SCALARS) for value in values.values()):
            with self._lock:
                if len(self._opened) >= self.OPENED_ENTRIES:
                    self._opened.clear()
                self._opened[key] = (values, signed.timestamp())
        return self.session_class(values)


@dataclass(frozen=True, slots=True)
class TeamRow(TeamAccess):
    """A team of the viewer's, as plain values (see ``Viewer``)."""

    id: int
    name: str
    description: str
    timezone: str
    selfcheck_cadence_weeks: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MembershipRow:
    """One of the viewer's memberships, as plain values (see ``Viewer``)."""

    id: int
    user_id: int
    team_id: int
    role: MembershipRole
    created_at: datetime
    team: TeamRow

    @property
    def is_facilitator(self):
        return self.role == MembershipRole.FACILITATOR


class Viewer(Person, UserMixin):
    """The logged-in person, as a page that only reads needs them: plain values.

    Every page loads the person with their teams. As ORM objects (a ``User``, its
    memberships and their teams) that cost about a tenth of a page, more than the
    statement itself; a page that only reads (``read_without_transaction``) never
    changes them, so it gets this instead: the same columns and the same questions
    (``team_ids``, ``membership_in``, ``is_leader``...), from one Core statement.
    Requests that may write load the ``User`` itself.
    """

    is_active = True  # (UserMixin's is a read-only property; every Viewer sets its own)

    def __init__(self, columns, memberships):
        self.__dict__.update(columns)
        self.memberships = memberships

    def __repr__(self):
        return f"<Viewer {self.id} {self.role}>"


_USER_COLUMNS = tuple(column.key for column in User.__table__.columns)
_TEAM_FIELDS = ("id", "name", "description", "timezone", "selfcheck_cadence_weeks", "created_at")


@functools.cache
def _viewer_query():
    users, memberships, teams = User.__table__, Membership.__table__, Team.__table__
    return (
        sa.select(
            *users.columns,
            memberships.c.id.label("membership_id"),
            memberships.c.role.label("membership_role"),
            memberships.c.created_at.label("membership_created_at"),
            *(teams.c[name].label(f"team_{name}") for name in _TEAM_FIELDS),
        )
        .select_from(
            users.outerjoin(memberships, memberships.c.user_id == users.c.id).outerjoin(
                teams, teams.c.id == memberships.c.team_id
            )
        )
        .where(users.c.id == sa.bindparam("user_id"))
    )


def _viewer(user_id):
    rows = read(_viewer_query(), {"user_id": user_id}).all()
    if not rows:
        return None
    first = rows[0]._mapping
    columns = {key: first[key] for key in _USER_COLUMNS}
    columns["role"] = Role(columns["role"])
    memberships = tuple(
        MembershipRow(
            id=row.membership_id,
            user_id=user_id,
            team_id=row.team_id,
            role=MembershipRole(row.membership_role),
            created_at=row.membership_created_at,
            team=TeamRow(*(row._mapping[f"team_{name}"] for name in _TEAM_FIELDS)),
        )
        for row in rows
        if row.membership_id is not None
    )
    return Viewer(columns, memberships)


@login_manager.user_loader
def load_user(session_id):
    """Load the person only while their session version still matches the cookie's."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    writing = request.method not in READ_ONLY_METHODS
    if reading_in_autocommit(db.session()):
        user = _viewer(int(user_id))
    elif not writing:
        user = _person(int(user_id))
    else:
        with reading_identity():
            user = _person(int(user_id))
        start_writing(db.session())
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
