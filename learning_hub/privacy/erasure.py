"""Erasing a departed person: what is deleted, what is kept without their name."""

import sqlalchemy as sa

from learning_hub.auth.models import (
    FORMER_MEMBER,
    EmailChange,
    Invitation,
    Membership,
    MembershipSpell,
    PasswordReset,
    Role,
)
from learning_hub.cases.models import CaseReflection, CaseResponse, TimelineEntry
from learning_hub.core import audit
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.dashboard import participation
from learning_hub.modules.models import (
    LearningGoal,
    ModuleProgress,
    Reflection,
    ReflectionResponse,
    ReflectionRevision,
)
from learning_hub.reviews.models import Action, AgendaItem, CalendarFeed, ReminderSent
from learning_hub.selfchecks import services as selfchecks
from learning_hub.selfchecks.models import PeriodScore, SelfCheck, SelfCheckAnswer, SelfCheckShare

ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: .invalid never delivers


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
        # When they were in which team goes too: what they wrote and others keep (shared
        # reflections, agenda items, case reflections) stays counted only where it was
        # written in a team's own space.
        sa.delete(MembershipSpell).where(MembershipSpell.user_id == user.id),
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
    summary = " ".join(f"{audit_label(label)}={n}" for label, n in deleted.items())
    audit.record("user.erased", user, actor=by, detail=summary)
    db.session.flush()
    return deleted


def audit_label(label):
    """A count's label as one word for an audit line: "Case reflections, private" is
    case_reflections."""
    return label.split(",")[0].lower().replace(" ", "_")
