"""Fixtures of the security tests: objects for every form to post to, a client per role."""

import pytest

from learning_hub.selfchecks.forms import item_field_name, note_field_name
from tests import factories


@pytest.fixture
def place(app, world):
    library = app.extensions["content"].library
    module = next(iter(library))
    review = factories.create_review(world.north, world.facilitator)
    session = review.sessions[0]
    instrument = library.instrument
    from learning_hub.auth.services import issue_invitation

    selfcheck = {item_field_name(i): "2" for i in instrument.items}
    selfcheck.update({note_field_name(s): "" for s in instrument.sections})
    selfcheck.update(instrument_version=str(instrument.version), action="submit")
    case = factories.create_case(world.north, world.staff)
    return {
        "module": module,
        "prompt": module.prompts[0],
        "reflection": factories.create_reflection(world.staff, module, share_team=world.north),
        "goal": factories.create_goal(world.staff),
        "case": case,
        "case_reflection": factories.create_case_reflection(case, world.staff),
        "session": session,
        "item": factories.create_agenda_item(session, world.staff),
        "action": factories.create_action(session, world.facilitator, world.staff),
        "selfcheck": selfcheck,
        "check": factories.create_selfcheck(app, world.staff),
        "token": issue_invitation(factories.create_user(password=None), world.admin),
    }


@pytest.fixture
def clients(app, world, client_for):
    made = {None: app.test_client()}
    for role in ("staff", "facilitator", "admin", "leader"):
        made[role] = client_for(getattr(world, role))
    return made
