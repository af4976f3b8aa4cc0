"""The audit log: append-only records of who did what to which object, from where."""

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.database import UTCDateTime, utcnow
from learning_hub.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id"),)

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


def record(action, obj=None, *, actor=None, detail="", object_type=None, object_id=None):
    """Add an audit entry to the session (the caller's commit writes it).

    ``actor`` defaults to the logged-in person; ``obj`` is any model with an ``id``.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:500],
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
