"""Retention: what the data inventory says is no longer kept goes; everything recent stays."""

from datetime import timedelta

import pytest

from learning_hub.auth.models import Invitation
from learning_hub.cases.models import Case
from learning_hub.core.audit import AuditEntry
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.privacy import retention
from learning_hub.reviews.models import ReminderSent
from tests import factories

NOW = utcnow()


def days_ago(days):
    return NOW - timedelta(days=days)


def audit_entry(action, age_days):
    entry = AuditEntry(action=action, detail="", created_at=days_ago(age_days))
    db.session.add(entry)
    db.session.commit()
    return entry.id


def surviving(model, ids):
    stmt = db.select(model.id).where(model.id.in_(ids))
    if model is AuditEntry:  # SQLite may give the run's own entry a deleted row's id
        stmt = stmt.where(AuditEntry.action != "retention.applied")
    return set(db.session.scalars(stmt))


def test_audit_entries_go_after_two_years(app):
    """Are audit entries older than two years deleted, and younger ones kept?"""
    old = audit_entry("case.viewed", 731)
    recent = audit_entry("case.viewed", 700)
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Audit entries"] == 1
    assert surviving(AuditEntry, [old, recent]) == {recent}


def test_log_in_failures_go_after_one_year(app):
    """Are failed log-in entries deleted after a year, while other entries that age stay?"""
    failed = audit_entry("login.failed", 366)
    locked = audit_entry("login.locked", 400)
    young_failure = audit_entry("login.failed", 300)
    other = audit_entry("user.invited", 400)
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Log-in failure audit entries"] == 2
    assert surviving(AuditEntry, [failed, locked, young_failure, other]) == {young_failure, other}


def test_invitations_go_thirty_days_after_expiry(app, world):
    """Are invitations deleted 30 days after they expired, and live or newer ones kept?"""
    invited = factories.create_user(password=None)
    ids = {}
    for name, expired_days_ago in (("old", 31), ("recent", 10), ("live", -2)):
        invitation, _ = Invitation.issue(invited, world.admin, ttl_hours=72)
        db.session.add(invitation)
        db.session.flush()
        invitation.expires_at = days_ago(expired_days_ago)
        ids[name] = invitation.id
    db.session.commit()
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Invitations past expiry"] == 1
    assert surviving(Invitation, ids.values()) == {ids["recent"], ids["live"]}


def test_password_reset_links_go_thirty_days_after_expiry(app, world):
    """Are reset links deleted 30 days after they expired, and live or newer ones kept?"""
    from learning_hub.auth.models import PasswordReset

    ids = {}
    for name, expired_days_ago in (("old", 31), ("recent", 10), ("live", -1)):
        reset, _ = PasswordReset.issue(world.staff, ttl_minutes=60)
        reset.expires_at = days_ago(expired_days_ago)
        db.session.add(reset)
        db.session.flush()
        ids[name] = reset.id
    db.session.commit()
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Password reset links past expiry"] == 1
    assert surviving(PasswordReset, ids.values()) == {ids["recent"], ids["live"]}


def test_email_change_links_go_thirty_days_after_expiry(app, world):
    """Are pending e-mail changes (each holds an address) deleted 30 days after expiry?"""
    from learning_hub.auth.models import EmailChange

    ids = {}
    for name, expired_days_ago in (("old", 31), ("recent", 10), ("live", -1)):
        change, _ = EmailChange.issue(world.staff, f"{name}@example.org", ttl_hours=24)
        change.expires_at = days_ago(expired_days_ago)
        db.session.add(change)
        db.session.flush()
        ids[name] = change.id
    db.session.commit()
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Email change links past expiry"] == 1
    assert surviving(EmailChange, ids.values()) == {ids["recent"], ids["live"]}


def test_reminder_receipts_go_after_a_year(app, world):
    """Are reminder receipts older than a year deleted?"""
    review = factories.create_review(world.north, world.facilitator)
    first, second = review.sessions[:2]
    old = ReminderSent(session_id=first.id, user_id=world.staff.id, sent_at=days_ago(400))
    recent = ReminderSent(session_id=second.id, user_id=world.staff.id, sent_at=days_ago(20))
    db.session.add_all([old, recent])
    db.session.commit()
    ids = [old.id, recent.id]
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Reminder receipts"] == 1
    assert surviving(ReminderSent, ids) == {ids[1]}


def test_used_form_tokens_go_after_a_week(app, world):
    """Are one-time form submission tokens older than seven days deleted, newer ones kept?"""
    from learning_hub.core.submissions import FormSubmission

    old = FormSubmission(token="a" * 32, user_id=world.staff.id, created_at=days_ago(8))
    recent = FormSubmission(token="b" * 32, user_id=world.staff.id, created_at=days_ago(2))
    db.session.add_all([old, recent])
    db.session.commit()
    ids = [old.id, recent.id]
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Form submission tokens"] == 1
    assert surviving(FormSubmission, ids) == {ids[1]}


def test_closed_cases_are_purged_after_three_years(app, world):
    """Is a case closed over three years ago purged, and a recently closed or open one kept?"""
    long_closed = factories.create_case(world.north, world.staff, entries=[(NOW.date(), "missed")])
    recently_closed = factories.create_case(world.north, world.staff)
    still_open = factories.create_case(world.north, world.staff)
    for case, closed_days_ago in ((long_closed, 3 * 365 + 1), (recently_closed, 300)):
        case.close()
        case.closed_at = days_ago(closed_days_ago)
    still_open.created_at = days_ago(2000)
    db.session.commit()
    ids = [long_closed.id, recently_closed.id, still_open.id]
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert counts["Closed cases"] == 1
    assert surviving(Case, ids) == {recently_closed.id, still_open.id}
    purge = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.purged"))
    assert purge.actor_id is None and "retention" in purge.detail


def test_config_can_change_a_period(app):
    """Does RETENTION_AUDIT_DAYS in the configuration change the audit period?"""
    entry = audit_entry("case.viewed", 100)
    app.config["RETENTION_AUDIT_DAYS"] = 90
    retention.apply_retention(NOW)
    db.session.commit()
    assert surviving(AuditEntry, [entry]) == set()


def test_dry_run_counts_without_deleting(runner):
    """Does --dry-run print what is due and leave every row in place?"""
    old = audit_entry("case.viewed", 800)
    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was deleted" in result.output
    assert "Audit entries" in result.output and "1" in result.output
    db.session.remove()
    assert surviving(AuditEntry, [old]) == {old}
    assert (
        db.session.scalar(
            db.select(db.func.count()).where(AuditEntry.action == "retention.applied")
        )
        == 0
    )


def test_command_deletes_prints_counts_and_audits_the_run(runner):
    """Does `retention` delete, print a count per rule and audit the run?"""
    old = audit_entry("case.viewed", 800)
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    for rule in retention.RETENTION_RULES:
        assert rule.name in result.output
    db.session.remove()
    assert surviving(AuditEntry, [old]) == set()
    run = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "retention.applied"))
    assert "audit_entries=1" in run.detail


def test_nothing_due_changes_nothing(app):
    """With only recent rows, is every count zero and no run audited?"""
    recent = audit_entry("case.viewed", 1)
    counts = retention.apply_retention(NOW)
    db.session.commit()
    assert set(counts.values()) == {0}
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 1
    assert surviving(AuditEntry, [recent]) == {recent}


def test_another_module_can_add_a_rule(app, monkeypatch):
    """Is a rule appended to RETENTION_RULES applied, with its count reported?"""
    seen = []

    def prune(now):
        seen.append(now)
        return 7

    monkeypatch.setattr(retention, "RETENTION_RULES", [*retention.RETENTION_RULES])
    retention.RETENTION_RULES.append(retention.RetentionRule("Form submission tokens", prune))
    counts = retention.apply_retention(NOW)
    assert counts["Form submission tokens"] == 7
    assert seen == [NOW]


def test_the_orm_still_refuses_to_delete_audit_entries(app):
    """Is the retention's Core delete still the only way an audit entry can go?"""
    entry = db.session.get(AuditEntry, audit_entry("case.viewed", 800))
    db.session.delete(entry)
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
