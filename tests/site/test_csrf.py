"""Every page carries its session's CSRF token, and a form post needs that session's token."""

import re

import pytest

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
pytestmark = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])


def _token(client, url="/"):
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.get_data(as_text=True)).group(1)


def test_a_pages_token_posts(client_for, app_config):
    """Does the token on one page work for a form posted from another?"""
    client = client_for("staff")
    _token(client)
    token = _token(client, "/modules")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302  # logged out: the token was good


def test_another_sessions_token_is_refused(client_for, world, app_config):
    """Is one person's token refused when sent with another person's session?"""
    client = client_for("staff")
    mine = _token(client)
    theirs = client_for(world.facilitator)
    assert _token(theirs) != mine
    assert theirs.post("/logout", data={"csrf_token": mine}).status_code == 400


def test_a_post_without_a_token_is_refused(client_for, app_config):
    client = client_for("staff")
    assert client.post("/logout").status_code == 400
