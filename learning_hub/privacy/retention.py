"""How long each kind of record is kept, and the job that deletes what is past it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from learning_hub.auth.models import (
    EmailChange,
    Invitation,
    PasswordReset,
)
from learning_hub.cases.models import Case
from learning_hub.cases.services import purge_case
from learning_hub.core import audit
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.core.submissions import prune_form_submissions
from learning_hub.privacy.erasure import audit_label
from learning_hub.reviews.models import ReminderSent

# Days each kind of record is kept; an app config key of the same name overrides it.
RETENTION_DEFAULTS = {
    "RETENTION_AUDIT_DAYS": 730,
    "RETENTION_LOGIN_AUDIT_DAYS": 365,
    "RETENTION_INVITATION_DAYS_AFTER_EXPIRY": 30,
    "RETENTION_REMINDER_DAYS": 365,
    "RETENTION_CLOSED_CASE_DAYS": 3 * 365,
    "RETENTION_FORM_SUBMISSION_DAYS": 7,
}
LOGIN_FAILURE_ACTIONS = ("login.failed", "login.refused_locked", "login.locked")


def retention_days(key):
    return int(current_app.config.get(key, RETENTION_DEFAULTS[key]))


@dataclass(frozen=True)
class RetentionRule:
    """One line of the inventory's retention column: ``apply(now)`` deletes, returns a count."""

    name: str
    apply: Callable[[datetime], int]


def _delete_login_audit(now):
    # Core delete on the table: the only sanctioned deletion of audit entries. The
    # ORM refuses to delete them (audit.py), so nothing else can remove them by accident.
    table = audit.AuditEntry.__table__
    cutoff = now - timedelta(days=retention_days("RETENTION_LOGIN_AUDIT_DAYS"))
    stmt = table.delete().where(
        table.c.action.in_(LOGIN_FAILURE_ACTIONS), table.c.created_at < cutoff
    )
    return db.session.execute(stmt).rowcount


def _delete_audit(now):
    # Core delete, as above: the sanctioned retention of the append-only audit log.
    table = audit.AuditEntry.__table__
    cutoff = now - timedelta(days=retention_days("RETENTION_AUDIT_DAYS"))
    return db.session.execute(table.delete().where(table.c.created_at < cutoff)).rowcount


def _delete_expired_links(model):
    """A retention rule for a kind of single-use link: gone 30 days (by default) after it
    expired, long enough to see one in an inquiry."""

    def rule(now):
        days = retention_days("RETENTION_INVITATION_DAYS_AFTER_EXPIRY")
        stmt = sa.delete(model).where(model.expires_at < now - timedelta(days=days))
        return db.session.execute(stmt, execution_options={"synchronize_session": False}).rowcount

    return rule


def _delete_reminders(now):
    cutoff = now - timedelta(days=retention_days("RETENTION_REMINDER_DAYS"))
    # A claim that never became a sent message has no sent_at: it ages from its claim.
    when = sa.func.coalesce(ReminderSent.sent_at, ReminderSent.claimed_at)
    stmt = sa.delete(ReminderSent).where(when < cutoff)
    return db.session.execute(stmt, execution_options={"synchronize_session": False}).rowcount


def _purge_closed_cases(now):
    days = retention_days("RETENTION_CLOSED_CASE_DAYS")
    cases = db.session.scalars(
        db.select(Case).where(Case.is_closed.is_(True), Case.closed_at < now - timedelta(days=days))
    ).all()
    for case in cases:
        purge_case(case, None, f"retention: closed more than {days} days ago")
    db.session.flush()
    return len(cases)


def _delete_form_submissions(now):
    return prune_form_submissions(
        now - timedelta(days=retention_days("RETENTION_FORM_SUBMISSION_DAYS"))
    )


# Order matters only in that cases are purged before old audit entries are removed,
# so a purge's own entry is kept.
RETENTION_RULES = [
    RetentionRule("Closed cases", _purge_closed_cases),
    RetentionRule("Log-in failure audit entries", _delete_login_audit),
    RetentionRule("Audit entries", _delete_audit),
    RetentionRule("Invitations past expiry", _delete_expired_links(Invitation)),
    RetentionRule("Password reset links past expiry", _delete_expired_links(PasswordReset)),
    RetentionRule("Email change links past expiry", _delete_expired_links(EmailChange)),
    RetentionRule("Reminder receipts", _delete_reminders),
    RetentionRule("Form submission tokens", _delete_form_submissions),
]


def apply_retention(now=None, *, dry_run=False):
    """Apply every rule in ``RETENTION_RULES``: {rule name: rows deleted (or due)}.

    With ``dry_run`` the deletions happen inside a savepoint that is rolled back,
    so the counts are exact and nothing changes.
    """
    now = now or utcnow()
    savepoint = db.session.begin_nested() if dry_run else None
    counts = {rule.name: rule.apply(now) for rule in RETENTION_RULES}
    if savepoint is not None:
        savepoint.rollback()
        db.session.expire_all()
    elif any(counts.values()):
        detail = " ".join(f"{audit_label(name)}={n}" for name, n in counts.items())
        audit.record("retention.applied", detail=detail)
        db.session.flush()
    return counts
