"""Rate-limit counters shared through Redis, as several gunicorn hosts would use them."""

import socket
import uuid

import pytest

from learning_hub.core.extensions import limiter

pytestmark = pytest.mark.real_commits


def redis_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def app_config():
    if not redis_running():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }


def test_login_limit_is_shared_across_processes(app, world, app_config):
    """Do two app instances on one Redis share the per-address log-in count?"""
    from tests.conftest import make_app

    first = app.test_client()
    for i in range(6):
        first.post("/login", data={"email": f"x{i}@example.org", "password": "wrong password"})
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], **app_config)
    second = other.test_client()
    statuses = [
        second.post("/login", data={"email": "y@example.org", "password": "nope"}).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [400] * 4 and statuses[4] == 429
    limiter.reset()
    with other.app_context():
        from learning_hub.core.extensions import db

        db.engine.dispose()
