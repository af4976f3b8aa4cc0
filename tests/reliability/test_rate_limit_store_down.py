"""The rate-limit store (Redis) going away: the site keeps working on in-process limits."""

import logging
import socket

import pytest

from learning_hub.core.extensions import db, limiter
from tests import factories
from tests.conftest import make_app

pytestmark = pytest.mark.real_commits

UNREACHABLE_REDIS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
    "LOGIN_RATE_LIMIT": "3 per minute",
}
# Redis db 6 is this test file's own; the keys carry a prefix of their own too.
REAL_REDIS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/6",
    "RATELIMIT_KEY_PREFIX": "test-store-down",
}


def redis_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def client_with(app):
    """``client_with(settings)``: a client of a second app on the test's database.

    The limiter is one object for the whole process: what one test's outage taught it
    (the store is down, count in memory) must not carry over into the next test.
    """
    made = []

    def _client(settings):
        # The test's rows, for the other app to see (and no transaction of the test's left
        # open: on SQLite it would hold the write lock).
        db.session.commit()
        made.append(make_app(app.config["SQLALCHEMY_DATABASE_URI"], **settings))
        return made[-1].test_client()

    yield _client
    limiter._storage_dead = False
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_log_in_works_and_is_still_limited_in_memory_when_redis_is_unreachable(
    client_with, world, caplog
):
    """With the rate-limit store unreachable, does log-in still work (no 500), are attempts
    still limited (in this process's memory), and is the outage logged once, not per request?"""
    email = world.staff.email
    client = client_with(UNREACHABLE_REDIS)
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302
    client.post("/logout")
    statuses = [
        client.post("/login", data={"email": f"z{i}@example.org", "password": "wrong"}).status_code
        for i in range(4)
    ]
    assert statuses == [400, 400, 429, 429]
    warnings = [r for r in caplog.records if "storage unreachable" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno >= logging.WARNING


def test_healthz_says_degraded_while_redis_is_unreachable(client_with):
    """With the rate-limit store unreachable, does /healthz say "degraded" (200: the site
    still works) and name the store as unreachable?"""
    response = client_with(UNREACHABLE_REDIS).get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["rate_limit_storage"] == "unreachable"
    assert body["database"] == "ok"


@pytest.mark.skipif(not redis_running(), reason="Redis is not running on 127.0.0.1:6379")
def test_healthz_says_ok_with_redis_answering(client_with):
    """With the rate-limit store answering, does /healthz say it is ok?"""
    response = client_with(REAL_REDIS).get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["rate_limit_storage"] == "ok"
