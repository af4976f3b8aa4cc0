"""Wrong passwords sent at the same moment all count towards the lock-out (PostgreSQL)."""

import threading

import pytest
from flask.testing import FlaskClient

from learning_hub.auth.models import User
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests.conftest import TEST_DATABASE_URL

pytestmark = [
    pytest.mark.real_commits,
    pytest.mark.skipif(
        not (TEST_DATABASE_URL or "").startswith("postgresql"),
        reason="simultaneous writers are tested on PostgreSQL",
    ),
]

ATTEMPTS = 8


def test_simultaneous_wrong_passwords_lock_the_account(app, world):
    """Do eight wrong passwords sent at once lock the account (none of them lost)?"""
    app.test_client_class = FlaskClient
    clients = [app.test_client() for _ in range(ATTEMPTS)]
    db.session.commit()
    start = threading.Barrier(ATTEMPTS)
    statuses, lock = [], threading.Lock()

    def send(client, n):
        start.wait()
        data = {"email": "staff@example.org", "password": f"wrong password number {n}"}
        status = client.post("/login", data=data).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=send, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [400] * ATTEMPTS
    db.session.expire_all()
    staff = db.session.get(User, world.staff.id)
    assert staff.is_locked(), staff.failed_login_count
    locks = db.session.scalar(
        db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "login.locked")
    )
    assert locks == 1
