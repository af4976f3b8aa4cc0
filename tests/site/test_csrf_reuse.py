"""A session's signed CSRF token is handed out again for a minute, and still works."""

import re

import pytest

from learning_hub import forms

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
pytestmark = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])


def _token(client, url="/"):
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.get_data(as_text=True)).group(1)


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock the reuse is timed by, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(forms.time, "monotonic", lambda: now[0])
    forms._signed_tokens.clear()
    return now


def test_pages_within_a_minute_carry_the_same_token_and_it_posts(staff_client, clock, app_config):
    """Do two pages a few seconds apart carry one signed token, which log-out accepts?"""
    first = _token(staff_client)
    clock[0] += 30
    assert _token(staff_client, "/modules") == first
    response = staff_client.post("/logout", data={"csrf_token": first})
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 302  # logged out: the token was good


def test_after_a_minute_a_fresh_token_is_signed(staff_client, clock, app_config, monkeypatch):
    signed = []

    def generate_csrf():
        signed.append(1)
        return original()

    original = forms.generate_csrf
    monkeypatch.setattr(forms, "generate_csrf", generate_csrf)
    _token(staff_client)
    clock[0] += 30
    _token(staff_client)
    assert len(signed) == 1
    clock[0] += forms.CSRF_REUSE_SECONDS
    second = _token(staff_client)
    assert len(signed) == 2
    assert staff_client.post("/logout", data={"csrf_token": second}).status_code == 302


def test_another_session_never_gets_this_sessions_token(
    staff_client, login, world, clock, app_config
):
    """Is the reuse kept per session, so a second person's page carries their own token?"""
    mine = _token(staff_client)
    theirs = _token(login(world.facilitator))
    assert mine != theirs
    response = login(world.facilitator).post("/logout", data={"csrf_token": mine})
    assert response.status_code == 400


def test_the_reuse_stays_bounded(staff_client, clock, app_config, monkeypatch):
    """Past CSRF_REUSE_ENTRIES sessions, are the kept tokens forgotten, not piled up?"""
    monkeypatch.setattr(forms, "CSRF_REUSE_ENTRIES", 2)
    _token(staff_client)
    for n in range(3):
        forms._signed_tokens[("key", f"raw{n}")] = ("token", clock[0])
    _token(staff_client, "/modules")  # a kept token: nothing added
    assert len(forms._signed_tokens) <= 5
    clock[0] += forms.CSRF_REUSE_SECONDS + 1
    _token(staff_client)
    assert len(forms._signed_tokens) == 1
