"""Every page carries its session's CSRF token, and a form post needs that session's token."""

import re

import pytest

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
pytestmark = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])


def _token(client, url="/"):
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.get_data(as_text=True)).group(1)


def test_a_pages_token_posts(staff_client, app_config):
    """Does the token on one page work for a form posted from another?"""
    _token(staff_client)
    token = _token(staff_client, "/modules")
    assert staff_client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert staff_client.get("/").status_code == 302  # logged out: the token was good


def test_another_sessions_token_is_refused(staff_client, login, world, app_config):
    """Is one person's token refused when sent with another person's session?"""
    mine = _token(staff_client)
    theirs = login(world.facilitator)
    assert _token(theirs) != mine
    assert theirs.post("/logout", data={"csrf_token": mine}).status_code == 400


def test_a_post_without_a_token_is_refused(staff_client, app_config):
    assert staff_client.post("/logout").status_code == 400
