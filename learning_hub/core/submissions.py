"""One-time form submission tokens: a form sent twice at once saves once.

Every rendered form that creates something carries a fresh random token (see
``learning_hub.core.forms.BaseForm``). When it is sent, the token is inserted into
``form_submissions`` in the same transaction as the write itself, so the unique
constraint decides which of two identical submissions wins: on PostgreSQL the
second insert waits for the first transaction and then fails; on SQLite the
writing requests' ``BEGIN IMMEDIATE`` runs them one after the other and the second
finds the token taken. The loser is answered with a redirect to where the first
submission went, with a note that it was already saved, and writes nothing.
"""

import logging
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, flash, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from learning_hub.core.database import UTCDateTime, utcnow
from learning_hub.core.extensions import db
from learning_hub.core.urls import is_safe_next

log = logging.getLogger("learning_hub.core.submissions")

ALREADY_SAVED = "That was already saved, so nothing has been added twice."
# How long a duplicate waits for the first submission to say where it went.
WAIT_FOR_FIRST_SECONDS = 2.0


class FormSubmission(db.Model):
    """A submission token that has been used, and where its request sent the person."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    redirect_to: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class AlreadySubmitted(Exception):
    """The submission token was used before: the form was sent twice."""


# Whether a submission used a token (bound parameter ``token``).
TOKEN_USED = sa.select(sa.literal(True)).where(FormSubmission.token == sa.bindparam("token"))


def is_used(token):
    """Whether a committed submission already used ``token``."""
    return db.session.scalar(TOKEN_USED, {"token": token}) is not None


def claim(token):
    """Record ``token`` as used, in the current transaction (flushed, not committed).

    Raises ``AlreadySubmitted`` when it was used before, after rolling the
    transaction back, so nothing of the duplicate submission is written.
    """
    user_id = current_user.id if current_user.is_authenticated else None
    db.session.add(FormSubmission(token=token, user_id=user_id))
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise AlreadySubmitted(token) from exc
    g.claimed_submission = token


def claimed_in_this_request(token):
    """Whether this request already claimed ``token`` (a form validated twice)."""
    return g.get("claimed_submission") == token


def answer_duplicate(token):
    """Send a duplicate submission where the first one went, with a note; never a second row."""
    flash(ALREADY_SAVED, "info")
    abort(redirect(_first_destination(token) or _referrer() or url_for("dashboard.home")))


def _first_destination(token):
    """Where the first submission with ``token`` redirected to, waiting briefly for it."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while True:
        try:
            location = db.session.scalar(
                sa.select(FormSubmission.redirect_to).where(FormSubmission.token == token)
            )
        finally:
            db.session.rollback()  # end the transaction so the first request can record it
        if location or time.monotonic() >= deadline:
            return location
        time.sleep(0.05)


def _referrer():
    """The referring page as a path on this site, or None (checked like a log-in's ``next``)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_next(path) else None


def remember_destination(response):
    """After a claimed submission's redirect, note where it went for any duplicate."""
    token = g.pop("claimed_submission", None)
    if token is None or response.status_code not in (301, 302, 303) or not response.location:
        return response
    location = response.location
    if urlsplit(location).netloc:
        location = urlsplit(location)._replace(scheme="", netloc="").geturl()
    try:
        # Anything the view left uncommitted is not ours to write.
        db.session.rollback()
        db.session.execute(
            sa.update(FormSubmission)
            .where(FormSubmission.token == token)
            .values(redirect_to=location[:500])
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("could not record where submission %s went", token[:8], exc_info=True)
    return response


def prune_form_submissions(older_than):
    """Delete used submission tokens older than ``older_than``; returns how many went.

    ``older_than`` is a ``timedelta`` (an age) or a timezone-aware ``datetime``
    (a cut-off). A token only needs to outlive the page it was rendered on, so a
    day is plenty. Flushes; the caller commits.
    """
    cutoff = utcnow() - older_than if isinstance(older_than, timedelta) else older_than
    result = db.session.execute(
        sa.delete(FormSubmission).where(FormSubmission.created_at < cutoff),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def register(app):
    app.after_request(remember_destination)
