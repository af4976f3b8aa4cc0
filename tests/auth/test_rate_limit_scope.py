"""Rate limits apply to form posts only: a page is never refused for being read often."""

import pytest

from learning_hub.core.extensions import limiter


def test_every_rate_limit_is_on_a_post(app):
    """Is every declared limit scoped to POST, with no default or application-wide limit?"""
    manager = limiter.limit_manager
    assert not manager.default_limits and not manager.application_limits
    declared = [limit for group in manager._decorated_limits.values() for limit in group]
    assert declared, "the log-in routes declare their limits"
    assert all(tuple(limit.methods or ()) == ("post",) for limit in declared)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_reads_are_never_limited_and_posts_still_are(client, world, app_config):
    """Past the log-in limit, is the form still shown while a further post gets 429?"""
    for n in range(10):
        client.post("/login", data={"email": f"x{n}@example.org", "password": "wrong-password"})
    assert all(client.get("/login").status_code == 200 for _ in range(15))
    assert (
        client.post("/login", data={"email": "y@example.org", "password": "x"}).status_code == 429
    )
