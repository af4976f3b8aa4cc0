"""Logging in and out, lockout, rate limits, redirects and session lifetime."""

import time

import pytest

from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from learning_hub.core.urls import is_safe_next
from tests.factories import PASSWORD


def post_login(client, email, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_login_with_right_password_reaches_home(client, world):
    """Can a person log in with their email and password and see their home page?"""
    response = post_login(client, "Staff@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"Hello, Sam" in home.data
    assert "login.succeeded" in actions()


def test_unknown_email_and_wrong_password_get_the_same_message(client, world):
    """Does the page avoid revealing which email addresses have accounts?"""
    unknown = post_login(client, "nobody@example.org")
    wrong = post_login(client, "staff@example.org", "not the password at all")
    assert unknown.status_code == wrong.status_code == 400
    marker = b"The email address or password is not right"
    assert marker in unknown.data and marker in wrong.data
    assert b"nobody@example.org" in unknown.data  # what was typed is kept


def test_empty_login_form_explains_each_field(client, world):
    """Does an empty form say what is missing beside each field?"""
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert b"Enter your email address" in response.data
    assert b"Enter your password" in response.data
    assert b'href="#email"' in response.data  # the error summary links to the field


def test_account_locks_after_repeated_failures(client, world, app):
    """After five wrong passwords, is even the right password refused for a while?"""
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        post_login(client, "staff@example.org", "wrong password attempt")
    response = post_login(client, "staff@example.org")
    assert response.status_code == 400
    assert client.get("/").status_code == 302
    db.session.refresh(world.staff)
    assert world.staff.is_locked()
    assert "login.locked" in actions() and "login.refused_locked" in actions()


def test_deactivated_person_cannot_log_in(client, world, create_user):
    """Is a deactivated account refused with the usual message?"""
    create_user(email="gone@example.org", is_active=False)
    response = post_login(client, "gone@example.org")
    assert response.status_code == 400
    assert b"The email address or password is not right" in response.data


def test_invited_person_without_password_cannot_log_in(client, world, create_user):
    """Can nobody log in to an account whose invitation is not yet accepted?"""
    create_user(email="new@example.org", password=None)
    assert post_login(client, "new@example.org", "").status_code == 400
    assert post_login(client, "new@example.org", "anything at all here").status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/%0d%0aevil",
        "\\\\evil.example",
    ],
)
def test_next_never_leaves_the_site(client, world, target):
    """Does ``next=`` refuse every spelling of another site?"""
    response = post_login(client, "staff@example.org", next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_to_a_local_page_is_followed(client, world):
    """Does ``next=`` take the person back to the page they asked for?"""
    response = post_login(client, "staff@example.org", next_url="/account")
    assert response.headers["Location"] == "/account"


def test_is_safe_next_rules():
    """Is only a plain path on this site accepted?"""
    assert is_safe_next("/teams/1?tab=members")
    for bad in ["", "//x", "/\\x", "https://x", "x", "/\x00x", None]:
        assert not is_safe_next(bad)


def test_logout_ends_the_session_and_a_copied_cookie(client, world):
    """After log-out, does a copy of the old session cookie stop working?"""
    post_login(client, "staff@example.org")
    cookie = client.get_cookie("learning_hub_session").value
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302

    replay = client.application.test_client()
    replay.set_cookie("learning_hub_session", cookie)
    assert replay.get("/").status_code == 302
    assert replay.get("/account").headers["Location"].startswith("/login")


def test_logout_needs_post(client_for):
    """Is a GET to /logout refused, so a link or image cannot log someone out?"""
    client = client_for("staff")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_deactivation_ends_open_sessions(client_for, world):
    """Does deactivating a person end a session they already have open?"""
    client = client_for("staff")
    assert client.get("/").status_code == 200
    world.staff.is_active = False
    world.staff.end_sessions()
    db.session.commit()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"IDLE_TIMEOUT_MINUTES": 30}])
def test_idle_session_expires(client_for, app_config):
    """Is a session left idle past the timeout logged out?"""
    client = client_for("staff")
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 31 * 60
    assert client.get("/").status_code == 302


def test_session_expires_after_maximum_age(client_for):
    """Is even an active session ended after SESSION_MAX_HOURS?"""
    client = client_for("staff")
    with client.session_transaction() as session:
        session["started_at"] = int(time.time()) - 13 * 3600
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_login_form_is_rate_limited_per_address(client, world, app_config):
    """Does the eleventh attempt in a minute from one address get 429?"""
    statuses = [post_login(client, f"x{i}@example.org").status_code for i in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    assert b"Too many attempts" in client.post("/login", data={}).data
    other = client.application.test_client()
    assert other.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_without_csrf_token_is_refused(client, world, app_config):
    """Is a log-in POST without the CSRF token refused?"""
    response = post_login(client, "staff@example.org")
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_state_changes_without_csrf_token_are_refused(client_for, world, app_config):
    """Is a logged-in POST (log-out) without a CSRF token refused and nothing changed?"""
    client = client_for("staff")
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/").status_code == 200
