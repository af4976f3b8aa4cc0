"""Responses sent at the same moment are each counted: the count moves in SQL."""

import threading

import pytest

from learning_hub.auth.models import User
from learning_hub.core.extensions import db
from learning_hub.modules import services as modules
from learning_hub.modules.models import Reflection, ReflectionResponse
from tests import factories
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.real_commits

RESPONDERS = 50


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="SQLite takes one writer at a time")
def test_simultaneous_responses_are_each_counted(app, world):
    """Do 50 responses to one reflection, sent at once, leave its count at exactly 50?"""
    module = next(iter(app.extensions["content"].library))
    reflection_id = factories.create_reflection(world.staff, module, share_team=world.north).id
    responder_id = world.facilitator.id
    db.session.commit()
    start = threading.Barrier(RESPONDERS)
    failures, lock = [], threading.Lock()

    def respond(n):
        with app.app_context():
            try:
                reflection = db.session.get(Reflection, reflection_id)
                responder = db.session.get(User, responder_id)
                responder.team_ids()  # load what the permission check reads, then let go
                db.session.commit()
                start.wait(timeout=60)
                modules.respond(reflection, responder, f"Response {n}")
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported below)
                with lock:
                    failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=respond, args=(n,)) for n in range(RESPONDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    db.session.expire_all()
    written = db.session.scalar(
        db.select(db.func.count(ReflectionResponse.id)).where(
            ReflectionResponse.reflection_id == reflection_id
        )
    )
    assert written == RESPONDERS
    assert db.session.get(Reflection, reflection_id).response_count == RESPONDERS


def test_a_response_is_counted_on_the_reflection_at_once(app, world):
    """Does the reflection in hand say one more response as soon as one is written?"""
    module = next(iter(app.extensions["content"].library))
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    modules.respond(reflection, world.facilitator, "First")
    modules.respond(reflection, world.facilitator, "Second")
    assert reflection.response_count == 2
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Reflection, reflection.id).response_count == 2
