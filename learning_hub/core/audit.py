"""The audit log and the security log.

The audit log: append-only records of who did what to which object, from where.
The security log: one structured line per security event on the logger
``learning_hub.security``. Every audit entry is also a security-log line, written
when (and only if) the transaction holding the entry commits, so the two never
disagree. Refusals that change nothing (403, out-of-scope 404, CSRF, rate limits)
are log lines only; ``learning_hub.core.site`` writes those with their reference id.

What a line holds: UTC time, event, outcome (success, failure or refused), user
id, client address (``request.remote_addr``, which ProxyFix sets from the trusted
proxy), route (the URL rule and endpoint, never the path or query string, which
can hold tokens), method, object type and id, and the reference id shown on an
error page. What it never holds: passwords, tokens, form bodies, free text, or
the audit entry's ``detail`` (a purge reason is typed by an admin). A failed
log-in for an unknown email logs no trace of the email, not even a hash: an
email hash can be reversed by hashing a staff list, and the client address is
enough to see someone guessing.
"""

import logging
from datetime import datetime

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.core.database import (
    UTCDateTime,
    commit_without_waiting_for_disk,
    utcnow,
    writing,
)
from learning_hub.core.extensions import db

security_log = logging.getLogger("learning_hub.security")

SUCCESS, FAILURE, REFUSED = "success", "failure", "refused"
# Audit actions that are not successes; every other action is one.
OUTCOMES = {
    "login.failed": FAILURE,
    "login.locked": FAILURE,
    "login.refused_locked": REFUSED,
    "content.reload_failed": FAILURE,
}
_PENDING = "security_log_pending"


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    # The newest entries about one object (a case page's access footer) come straight
    # off this index, however many times the object has been viewed.
    __table_args__ = (
        sa.Index("ix_audit_entries_object_recent", "object_type", "object_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor = relationship("User", foreign_keys=[actor_id])


@sa.event.listens_for(AuditEntry, "before_update")
@sa.event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper, _connection, _target):
    raise PermissionError("Audit entries are never changed or deleted")


def _entry(action, obj, actor, detail, object_type, object_id):
    """The column values of one audit entry, and the fields of its security-log line."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    values = {
        "actor_id": getattr(actor, "id", None),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "detail": detail[:500],
        "ip_address": request.remote_addr if has_request_context() else None,
    }
    fields = event_fields(
        action,
        OUTCOMES.get(action, SUCCESS),
        user_id=values["actor_id"],
        object_type=object_type,
        object_id=object_id,
    )
    return values, fields


def record(action, obj=None, *, actor=None, detail="", object_type=None, object_id=None):
    """Add an audit entry to the session (the caller's commit writes it and logs it).

    ``actor`` defaults to the logged-in person; ``obj`` is any model with an ``id``.
    """
    values, fields = _entry(action, obj, actor, detail, object_type, object_id)
    entry = AuditEntry(**values)
    db.session.add(entry)
    db.session.info.setdefault(_PENDING, []).append((entry, fields))
    return entry


# One row in, its id back: the entry of ``record_now`` needs no unit of work.
INSERT_ENTRY = sa.insert(AuditEntry.__table__).returning(AuditEntry.__table__.c.id)


def record_now(
    action, obj=None, *, durable=True, actor=None, detail="", object_type=None, object_id=None
):
    """Write one audit entry in a short transaction of its own, committed on return, and
    its security-log line once it is committed.

    For a GET that records what it showed (a case view, an export), once the page is
    built: what the request read so far is committed, and the entry is inserted under
    ``database.writing()``, so on SQLite the write lock is held for this one insert.
    ``durable=False`` lets PostgreSQL acknowledge the commit before its disk flush
    (``database.commit_without_waiting_for_disk``), for view entries whose loss in a
    server crash costs only themselves. Takes ``record``'s arguments; returns the
    entry's id.
    """
    values, fields = _entry(action, obj, actor, detail, object_type, object_id)
    with writing() as session:
        if not durable:
            commit_without_waiting_for_disk(session)
        fields["audit_id"] = session.execute(INSERT_ENTRY, values).scalar_one()
    security_log.info(fields["event"], extra={"fields": fields})
    return fields["audit_id"]


def event_fields(event, outcome, *, user_id=None, ref=None, status=None, **more):
    """The fields of one security-log line, with the request's client and route."""
    fields = {
        "event": event,
        "outcome": outcome,
        "user_id": user_id,
        "client": None,
        "method": None,
        "route": None,
        "endpoint": None,
        "ref": ref,
    }
    if status is not None:
        fields["status"] = status
    if has_request_context():
        rule = request.url_rule
        fields.update(
            client=request.remote_addr,
            method=request.method,
            route=rule.rule if rule is not None else None,
            endpoint=request.endpoint,
        )
    fields.update(more)
    return fields


def log_event(event, outcome, *, load_user=True, level=logging.INFO, ref=None, **more):
    """Write one security-log line now (for refusals that leave no audit entry).

    ``load_user=False`` names only a person the request has already loaded (for
    handlers that run because the database is down).
    """
    fields = event_fields(event, outcome, user_id=request_user_id(load_user), ref=ref, **more)
    security_log.log(level, event, extra={"fields": fields})


def request_user_id(load=True):
    """The logged-in person's id, or None outside a request or when nobody is."""
    if not has_request_context():
        return None
    if load:
        try:
            user = current_user._get_current_object()
        except sa.exc.SQLAlchemyError:
            db.session.rollback()
            return None
    else:
        user = g.get("_login_user")
    if user is None:
        return None
    # The id from the identity map: a person expired by a rollback is not read again
    # (asking ``is_authenticated`` would read them).
    state = sa.inspect(user, raiseerr=False)
    if state is None:  # not mapped: an anonymous person
        return None
    return state.identity[0] if state.identity else None


@sa.event.listens_for(AppSession, "after_flush_postexec")
def _note_written(session, _flush_context):
    for item in session.info.get(_PENDING, ()):
        entry, fields = item
        if "audit_id" not in fields and sa.inspect(entry).persistent:
            fields["audit_id"] = entry.id


@sa.event.listens_for(AppSession, "after_commit")
def _log_committed(session):
    pending = session.info.pop(_PENDING, [])
    for entry, fields in pending:
        # An entry rolled back with a savepoint is no longer persistent: not logged.
        if "audit_id" in fields and sa.inspect(entry).persistent:
            security_log.info(fields["event"], extra={"fields": fields})


@sa.event.listens_for(AppSession, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_PENDING, None)
