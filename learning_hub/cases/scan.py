"""Every stored free text on cases, for `flask pii-scan` (the guard as it stands today)."""

from learning_hub.cases.models import (
    Case,
    CaseReflection,
    CaseResponse,
    EngagementPlan,
    TimelineEntry,
    Trigger,
)
from learning_hub.core.extensions import db

PLAN_FIELDS = ("preferred_times", "others_may_contact", "during_disengagement", "reminders")


def stored_texts():
    """(where, text) pairs: where names the case code, the record and the field."""
    codes = dict(db.session.execute(db.select(Case.id, Case.code)).all())
    for case_id, context in db.session.execute(db.select(Case.id, Case.context)):
        yield f"{codes[case_id]} context", context or ""
    for entry_id, case_id, note in db.session.execute(
        db.select(TimelineEntry.id, TimelineEntry.case_id, TimelineEntry.note)
    ):
        yield f"{codes[case_id]} timeline entry {entry_id} note", note or ""
    for trigger_id, case_id, text in db.session.execute(
        db.select(Trigger.id, Trigger.case_id, Trigger.description)
    ):
        yield f"{codes[case_id]} trigger {trigger_id}", text
    for plan in db.session.scalars(db.select(EngagementPlan)):
        for name in PLAN_FIELDS:
            yield f"{codes[plan.case_id]} plan {name.replace('_', ' ')}", getattr(plan, name)
    for reflection in db.session.scalars(db.select(CaseReflection)):
        for name in ("identify", "analyse", "plan", "other_feeling"):
            yield (
                f"{codes[reflection.case_id]} reflection {reflection.id} {name}",
                getattr(reflection, name) or "",
            )
    for response in db.session.scalars(
        db.select(CaseResponse).options(db.joinedload(CaseResponse.reflection))
    ):
        yield (f"{codes[response.reflection.case_id]} response {response.id}", response.body)
