"""A person's own export: everything they wrote or are recorded as owning."""

from datetime import date, datetime

import sqlalchemy as sa

from learning_hub.auth.models import (
    Membership,
)
from learning_hub.cases.models import CaseReflection, CaseResponse, TimelineEntry
from learning_hub.core import audit
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.modules.models import (
    LearningGoal,
    ModuleProgress,
    Reflection,
    ReflectionResponse,
)
from learning_hub.reviews.models import Action, AgendaItem
from learning_hub.selfchecks.models import SelfCheck

EXPORT_SCHEMA = "learning-hub/personal-data"
EXPORT_SCHEMA_VERSION = 1


def _when(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _team_name(team):
    return team.name if team is not None else None


def export_personal_data(user):
    """Everything ``user`` wrote or is recorded as owning, as plain JSON-ready values.

    Only their own material: on responses and case reflections the text they
    answered is referred to by id and case code, never copied.
    """

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
