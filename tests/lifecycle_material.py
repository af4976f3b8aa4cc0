"""One of everything a person can write, and a colleague's writing beside it.

Used by the personal-data export and erasure tests. Every text carries a
marker, so a test can tell whose words ended up where.
"""

from datetime import date
from types import SimpleNamespace

from learning_hub.core.extensions import db
from tests import factories


def write_everything(app, world):
    """Sam Staff writes one of everything in team North; Fran Facilitator writes beside it."""
    from learning_hub.cases import services as cases
    from learning_hub.modules import services as modules
    from learning_hub.reviews.services import feed_for

    staff, colleague = world.staff, world.facilitator
    library = app.extensions["content"].library
    module = next(iter(library))
    private = factories.create_reflection(staff, module, body="STAFF-PRIVATE reflection")
    shared = factories.create_reflection(
        staff, module, module.prompts[-1], body="STAFF-SHARED first words", share_team=world.north
    )
    modules.edit_reflection(shared, "STAFF-SHARED reflection, edited")
    theirs = factories.create_reflection(
        colleague, module, body="COLLEAGUE-REFLECTION text", share_team=world.north
    )
    modules.respond(theirs, staff, "STAFF-RESPONSE on a colleague's reflection")
    modules.respond(shared, colleague, "COLLEAGUE-RESPONSE on Sam's reflection")
    goal = factories.create_goal(staff, description="STAFF-GOAL offer two times")
    factories.create_goal(colleague, description="COLLEAGUE-GOAL", share_team=world.north)
    check = factories.create_selfcheck(app, staff, ratings=2, notes={"autonomy": "STAFF-NOTE"})
    draft = factories.create_selfcheck(app, staff, submit=False)
    factories.create_selfcheck(app, colleague, ratings=4)

    case = factories.create_case(world.north, colleague, context="COLLEAGUE-CONTEXT")
    cases.record_entry(
        case,
        staff,
        occurred_on=date(2026, 11, 2),
        method="phone",
        initiated_by="worker",
        outcome="no-answer",
        note="STAFF-CASE-NOTE rang twice",
    )
    staff_case_reflection = factories.create_case_reflection(
        case, staff, identify="STAFF-IDENTIFY", analyse="STAFF-ANALYSE", plan="STAFF-PLAN"
    )
    colleague_case_reflection = factories.create_case_reflection(
        case, colleague, identify="COLLEAGUE-IDENTIFY"
    )
    cases.respond(colleague_case_reflection, staff, "STAFF-CASE-RESPONSE")
    cases.respond(staff_case_reflection, colleague, "COLLEAGUE-CASE-RESPONSE")

    review = factories.create_review(world.north, colleague)
    session = review.sessions[0]
    item = factories.create_agenda_item(session, staff, title="STAFF-AGENDA-ITEM")
    factories.create_agenda_item(session, colleague, title="COLLEAGUE-AGENDA-ITEM")
    owned = factories.create_action(session, colleague, staff, description="STAFF-OWNS-ACTION")
    created = factories.create_action(session, staff, colleague, description="STAFF-CREATED-ACTION")
    factories.create_action(session, colleague, colleague, description="COLLEAGUE-ACTION")
    feed = feed_for(staff)
    db.session.commit()
    return SimpleNamespace(
        module=module,
        private=private,
        shared=shared,
        theirs=theirs,
        goal=goal,
        check=check,
        draft=draft,
        case=case,
        staff_case_reflection=staff_case_reflection,
        colleague_case_reflection=colleague_case_reflection,
        session=session,
        item=item,
        owned=owned,
        created=created,
        feed=feed,
    )
