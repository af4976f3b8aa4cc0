"""The life of personal data: a person's own export, erasing a departed person, retention.

What each table holds and how long it is kept is written up in docs/data-inventory.md;
the rules in ``RETENTION_RULES`` below are that document's retention column in code.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from learning_hub import audit, participation
from learning_hub.auth.models import (
    FORMER_MEMBER,
    EmailChange,
    Invitation,
    Membership,
    PasswordReset,
    Role,
)
from learning_hub.database import utcnow
from learning_hub.extensions import db

EXPORT_SCHEMA = "learning-hub/personal-data"
EXPORT_SCHEMA_VERSION = 1
ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: .invalid never delivers


def end_team_access(user, by, team=None):
    """On leaving ``team`` (with no team: on deactivation, every team), end what the
    team gave the person: their self-check results shared with its facilitators are
    withdrawn and their calendar feed addresses for it are deleted. Their home page
    lists only their current teams' actions and responses: those queries read the
    memberships, so nothing is kept to undo there."""
    from learning_hub.reviews.services import end_team_feeds
    from learning_hub.selfchecks.services import withdraw_shares_on_leaving

    withdraw_shares_on_leaving(user, by, team)
    end_team_feeds(user, team)


def _when(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _team_name(team):
    return team.name if team is not None else None


# --- Export -------------------------------------------------------------------------------


def export_personal_data(user):
    """Everything ``user`` wrote or is recorded as owning, as plain JSON-ready values.

    Only their own material: on responses and case reflections the text they
    answered is referred to by id and case code, never copied.
    """
    from learning_hub.cases.models import CaseReflection, CaseResponse, TimelineEntry
    from learning_hub.modules.models import (
        LearningGoal,
        ModuleProgress,
        Reflection,
        ReflectionResponse,
    )
    from learning_hub.reviews.models import Action, AgendaItem
    from learning_hub.selfchecks.models import SelfCheck

    def rows(stmt):
        return db.session.scalars(stmt).unique().all()

    memberships = rows(
        db.select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
    )
    reflections = rows(
        db.select(Reflection)
        .where(Reflection.author_id == user.id)
        .options(db.selectinload(Reflection.revisions), db.joinedload(Reflection.shared_team))
        .order_by(Reflection.created_at, Reflection.id)
    )
    goals = rows(
        db.select(LearningGoal)
        .where(LearningGoal.owner_id == user.id)
        .order_by(LearningGoal.created_at, LearningGoal.id)
    )
    checks = rows(
        db.select(SelfCheck)
        .where(SelfCheck.user_id == user.id)
        .options(db.selectinload(SelfCheck.answers), db.selectinload(SelfCheck.shares))
        .order_by(SelfCheck.started_at, SelfCheck.id)
    )
    case_reflections = rows(
        db.select(CaseReflection)
        .where(CaseReflection.author_id == user.id)
        .options(db.joinedload(CaseReflection.case))
        .order_by(CaseReflection.created_at, CaseReflection.id)
    )
    reflection_responses = rows(
        db.select(ReflectionResponse)
        .where(ReflectionResponse.author_id == user.id)
        .order_by(ReflectionResponse.created_at, ReflectionResponse.id)
    )
    case_responses = rows(
        db.select(CaseResponse)
        .where(CaseResponse.author_id == user.id)
        .options(db.joinedload(CaseResponse.reflection).joinedload(CaseReflection.case))
        .order_by(CaseResponse.created_at, CaseResponse.id)
    )
    items = rows(
        db.select(AgendaItem)
        .where(AgendaItem.raised_by_id == user.id)
        .options(db.joinedload(AgendaItem.session))
        .order_by(AgendaItem.created_at, AgendaItem.id)
    )
    entries = rows(
        db.select(TimelineEntry)
        .where(TimelineEntry.recorded_by_id == user.id)
        .options(db.joinedload(TimelineEntry.case))
        .order_by(TimelineEntry.created_at, TimelineEntry.id)
    )
    actions = rows(
        db.select(Action)
        .where(sa.or_(Action.owner_id == user.id, Action.created_by_id == user.id))
        .options(db.joinedload(Action.session))
        .order_by(Action.created_at, Action.id)
    )
    progress = rows(
        db.select(ModuleProgress)
        .where(ModuleProgress.user_id == user.id)
        .order_by(ModuleProgress.started_at, ModuleProgress.id)
    )

    return {
        "schema": EXPORT_SCHEMA,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "exported_at": _when(utcnow()),
        "profile": {
            "name": user.display_name,
            "email": user.email,
            "role": user.role.value,
            "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at),
            "teams": [{"name": m.team.name, "role": m.role.value} for m in memberships],
        },
        "reflections": [
            {
                "id": r.id,
                "module": r.module_slug,
                "module_version": r.module_version,
                "prompt_id": r.prompt_id,
                "prompt": r.prompt_text,
                "text": r.body,
                "shared_with_team": _team_name(r.shared_team),
                "shared_at": _when(r.shared_at),
                "created_at": _when(r.created_at),
                "updated_at": _when(r.updated_at),
                "earlier_versions": [
                    {"text": v.body, "replaced_at": _when(v.created_at)} for v in r.revisions
                ],
            }
            for r in reflections
        ],
        "learning_goals": [
            {
                "id": g.id,
                "description": g.description,
                "principles": list(g.principles or []),
                "modules": list(g.module_slugs or []),
                "target_on": _when(g.target_on),
                "status": g.status.value,
                "shared_with_team": _team_name(g.shared_team),
                "created_at": _when(g.created_at),
                "achieved_at": _when(g.achieved_at),
            }
            for g in goals
        ],
        "self_checks": [
            {
                "id": c.id,
                "instrument": c.instrument_slug,
                "instrument_version": c.instrument_version,
                "status": c.status.value,
                "started_at": _when(c.started_at),
                "submitted_at": _when(c.submitted_at),
                "notes": dict(c.notes or {}),
                "answers": [
                    {"item": a.item_id, "principle": a.principle, "rating": a.rating}
                    for a in sorted(c.answers, key=lambda a: a.item_id)
                ],
                "scores": dict(sorted(c.principle_scores().items())),
                "shares": [
                    {
                        "team": s.team.name,
                        "shared_at": _when(s.shared_at),
                        "withdrawn_at": _when(s.revoked_at),
                    }
                    for s in c.shares
                ],
            }
            for c in checks
        ],
        "case_reflections": [
            {
                "id": r.id,
                "case": r.case.code,
                "identify": r.identify,
                "analyse": r.analyse,
                "plan": r.plan,
                "feelings": list(r.feelings or []),
                "other_feeling": r.other_feeling,
                "created_at": _when(r.created_at),
            }
            for r in case_reflections
        ],
        "responses_on_reflections": [
            {
                "id": r.id,
                "reflection_id": r.reflection_id,
                "text": r.body,
                "created_at": _when(r.created_at),
            }
            for r in reflection_responses
        ],
        "responses_on_case_reflections": [
            {
                "id": r.id,
                "case_reflection_id": r.reflection_id,
                "case": r.reflection.case.code,
                "text": r.body,
                "created_at": _when(r.created_at),
            }
            for r in case_responses
        ],
        "agenda_items_raised": [
            {
                "id": i.id,
                "session": i.session.title,
                "session_starts_at": _when(i.session.starts_at),
                "kind": i.kind.value,
                "title": i.title,
                "created_at": _when(i.created_at),
            }
            for i in items
        ],
        "case_notes": [
            {
                "id": e.id,
                "case": e.case.code,
                "occurred_on": _when(e.occurred_on),
                "method": e.method.value,
                "initiated_by": e.initiated_by.value,
                "outcome": e.outcome.value,
                "note": e.note,
                "created_at": _when(e.created_at),
            }
            for e in entries
        ],
        "actions": [
            {
                "id": a.id,
                "session": a.session.title,
                "description": a.description,
                "you_own_it": a.owner_id == user.id,
                "you_created_it": a.created_by_id == user.id,
                "due_on": _when(a.due_on),
                "done_at": _when(a.done_at),
                "done_note": a.done_note,
                "created_at": _when(a.created_at),
            }
            for a in actions
        ],
        "module_progress": [
            {
                "module": p.module_slug,
                "started_at": _when(p.started_at),
                "reflected_at": _when(p.reflected_at),
                "reflected_version": p.reflected_version,
            }
            for p in progress
        ],
    }


def record_export(user):
    audit.record("user.data_exported", user, actor=user)


# --- Erasure ------------------------------------------------------------------------------


def erasure_preview(user):
    """What erasing ``user`` would delete and what it keeps: {label: count} for each."""
    return {"deleted": _count(_private_material(user)), "kept": _count(_kept_material(user))}


def _count(parts):
    return {
        label: db.session.scalar(db.select(sa.func.count()).select_from(stmt.subquery()))
        for label, stmt in parts
    }


def _private_material(user):
    """(label, select of rows) for everything that is this person's alone."""
    from learning_hub.modules.models import (
        LearningGoal,
        ModuleProgress,
        Reflection,
        ReflectionRevision,
    )
    from learning_hub.reviews.models import CalendarFeed, ReminderSent
    from learning_hub.selfchecks.models import SelfCheck

    return [
        (
            "Private reflections",
            db.select(Reflection.id).where(
                Reflection.author_id == user.id, Reflection.shared_team_id.is_(None)
            ),
        ),
        (
            "Earlier versions of reflections",
            db.select(ReflectionRevision.id)
            .join(Reflection, Reflection.id == ReflectionRevision.reflection_id)
            .where(Reflection.author_id == user.id),
        ),
        ("Learning goals", db.select(LearningGoal.id).where(LearningGoal.owner_id == user.id)),
        (
            "Self-checks, drafts included, with their answers",
            db.select(SelfCheck.id).where(SelfCheck.user_id == user.id),
        ),
        ("Module progress", db.select(ModuleProgress.id).where(ModuleProgress.user_id == user.id)),
        (
            "Calendar feed addresses",
            db.select(CalendarFeed.id).where(CalendarFeed.user_id == user.id),
        ),
        ("Invitations", db.select(Invitation.id).where(Invitation.user_id == user.id)),
        (
            "Password reset links",
            db.select(PasswordReset.id).where(PasswordReset.user_id == user.id),
        ),
        (
            "Email address changes",
            db.select(EmailChange.id).where(EmailChange.user_id == user.id),
        ),
        ("Reminder receipts", db.select(ReminderSent.id).where(ReminderSent.user_id == user.id)),
        ("Team memberships", db.select(Membership.id).where(Membership.user_id == user.id)),
    ]


def _kept_material(user):
    """(label, select of rows) for their contributions to team records."""
    from learning_hub.cases.models import CaseReflection, CaseResponse, TimelineEntry
    from learning_hub.modules.models import Reflection, ReflectionResponse
    from learning_hub.reviews.models import Action, AgendaItem

    return [
        (
            "Reflections shared with a team",
            db.select(Reflection.id).where(
                Reflection.author_id == user.id, Reflection.shared_team_id.is_not(None)
            ),
        ),
        (
            "Responses to reflections",
            db.select(ReflectionResponse.id).where(ReflectionResponse.author_id == user.id),
        ),
        (
            "Case reflections",
            db.select(CaseReflection.id).where(CaseReflection.author_id == user.id),
        ),
        (
            "Responses to case reflections",
            db.select(CaseResponse.id).where(CaseResponse.author_id == user.id),
        ),
        (
            "Case timeline entries",
            db.select(TimelineEntry.id).where(TimelineEntry.recorded_by_id == user.id),
        ),
        ("Agenda items raised", db.select(AgendaItem.id).where(AgendaItem.raised_by_id == user.id)),
        (
            "Actions owned or created",
            db.select(Action.id).where(
                sa.or_(Action.owner_id == user.id, Action.created_by_id == user.id)
            ),
        ),
    ]


def erase_person(user, by):
    """Delete a departed person's private material and anonymise their account.

    Their contributions to team records (shared reflections, case reflections,
    responses, timeline entries, agenda items, actions) stay, attributed to
    "Former member". Returns {label: rows deleted}. Raises ValueError when
    refused: an already-erased person, or the admin's own account.
    """
    from learning_hub.modules.models import (
        LearningGoal,
        ModuleProgress,
        Reflection,
        ReflectionResponse,
        ReflectionRevision,
    )
    from learning_hub.reviews.models import CalendarFeed, ReminderSent
    from learning_hub.selfchecks import services as selfchecks
    from learning_hub.selfchecks.models import (
        PeriodScore,
        SelfCheck,
        SelfCheckAnswer,
        SelfCheckShare,
    )

    if user.is_erased:
        raise ValueError("This person has already been erased; there is nothing more to remove")
    if user.id == by.id:
        raise ValueError("You cannot erase your own account; ask another admin")

    deleted = _count(_private_material(user))
    private = db.select(Reflection.id).where(
        Reflection.author_id == user.id, Reflection.shared_team_id.is_(None)
    )
    own_reflections = db.select(Reflection.id).where(Reflection.author_id == user.id)
    checks = db.select(SelfCheck.id).where(SelfCheck.user_id == user.id)
    # Children first, so nothing relies on the database's ON DELETE to be switched on.
    statements = [
        sa.delete(ReflectionRevision).where(ReflectionRevision.reflection_id.in_(own_reflections)),
        sa.delete(ReflectionResponse).where(ReflectionResponse.reflection_id.in_(private)),
        sa.delete(Reflection).where(Reflection.id.in_(private)),
        sa.delete(LearningGoal).where(LearningGoal.owner_id == user.id),
        sa.delete(PeriodScore).where(PeriodScore.user_id == user.id),
        sa.delete(SelfCheckAnswer).where(SelfCheckAnswer.self_check_id.in_(checks)),
        sa.delete(SelfCheckShare).where(SelfCheckShare.self_check_id.in_(checks)),
        sa.delete(SelfCheck).where(SelfCheck.user_id == user.id),
        sa.delete(ModuleProgress).where(ModuleProgress.user_id == user.id),
        sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id),
        sa.delete(Invitation).where(Invitation.user_id == user.id),
        sa.delete(PasswordReset).where(PasswordReset.user_id == user.id),
        sa.delete(EmailChange).where(EmailChange.user_id == user.id),
        sa.delete(ReminderSent).where(ReminderSent.user_id == user.id),
        sa.delete(Membership).where(Membership.user_id == user.id),
    ]
    # Whose participation the deletes change: the person's, and that of everyone who
    # responded to one of their private reflections.
    responders = db.session.scalars(
        db.select(ReflectionResponse.author_id)
        .where(ReflectionResponse.reflection_id.in_(private))
        .distinct()
    ).all()
    for stmt in statements:
        db.session.execute(stmt, execution_options={"synchronize_session": False})
    participation.rebuild(db.session.connection(), {user.id, *responders})
    db.session.expire(user, ["memberships"])

    selfchecks.scores_changed(user.id)  # their monthly scores are gone
    user.display_name = FORMER_MEMBER
    user.email = f"erased-{user.id}@{ERASED_EMAIL_DOMAIN}"
    user.password_hash = None
    user.role = Role.STAFF
    user.is_active = False
    user.failed_login_count = 0
    user.locked_until_at = None
    user.last_login_at = None
    user.erased_at = utcnow()
    user.end_sessions()
    summary = " ".join(f"{_slug(label)}={n}" for label, n in deleted.items())
    audit.record("user.erased", user, actor=by, detail=summary)
    db.session.flush()
    return deleted


def _slug(label):
    return label.split(",")[0].lower().replace(" ", "_")


# --- Retention ----------------------------------------------------------------------------

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
    from learning_hub.reviews.models import ReminderSent

    cutoff = now - timedelta(days=retention_days("RETENTION_REMINDER_DAYS"))
    # A claim that never became a sent message has no sent_at: it ages from its claim.
    when = sa.func.coalesce(ReminderSent.sent_at, ReminderSent.claimed_at)
    stmt = sa.delete(ReminderSent).where(when < cutoff)
    return db.session.execute(stmt, execution_options={"synchronize_session": False}).rowcount


def _purge_closed_cases(now):
    from learning_hub.cases.models import Case
    from learning_hub.cases.services import purge_case

    days = retention_days("RETENTION_CLOSED_CASE_DAYS")
    cases = db.session.scalars(
        db.select(Case).where(Case.is_closed.is_(True), Case.closed_at < now - timedelta(days=days))
    ).all()
    for case in cases:
        purge_case(case, None, f"retention: closed more than {days} days ago")
    db.session.flush()
    return len(cases)


def _delete_form_submissions(now):
    from learning_hub.submissions import prune_form_submissions

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
        detail = " ".join(f"{_slug(name)}={n}" for name, n in counts.items())
        audit.record("retention.applied", detail=detail)
        db.session.flush()
    return counts
