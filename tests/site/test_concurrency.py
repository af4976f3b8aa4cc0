"""Pages that write on GET (an audit entry for each case view) under concurrent load."""

import threading

import pytest
from flask.testing import FlaskClient

from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests import factories
from tests.conftest import TEST_DATABASE_URL, log_in

pytestmark = pytest.mark.real_commits


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's single writer is what is tested")
def test_concurrent_case_views_are_all_answered_and_audited(app, world):
    """Do simultaneous case views, each writing an audit entry, all succeed on SQLite?"""
    case = factories.create_case(world.north, world.staff)
    db.session.commit()
    url = f"/cases/{case.id}"
    app.test_client_class = FlaskClient
    statuses, lock = [], threading.Lock()
    start = threading.Barrier(6)

    def viewer(client):
        start.wait()
        for _ in range(8):
            status = client.get(url).status_code
            with lock:
                statuses.append(status)

    threads = [
        threading.Thread(target=viewer, args=(log_in(app.test_client(), person),))
        for person in (world.staff, world.facilitator) * 3
    ]
    db.session.commit()  # the test's own transaction must not hold the lock
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 48
    views = db.session.scalar(
        db.select(db.func.count(AuditEntry.id)).where(
            AuditEntry.action == "case.viewed", AuditEntry.object_id == case.id
        )
    )
    assert views == 48
