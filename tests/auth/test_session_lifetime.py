"""Which sessions survive a password change, a deactivation, idleness and age."""

import pytest

from learning_hub.core.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "quiet orchard lantern seventeen"


def log_in_through_form(app, email, password=PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.headers["Location"] == "/"
    return client


def is_logged_in(client):
    return client.get("/account").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app, world):
    """After a password change, is the other device logged out and this one kept?"""
    laptop = log_in_through_form(app, "staff@example.org")
    phone = log_in_through_form(app, "staff@example.org")
    colleague = log_in_through_form(app, "facilitator@example.org")
    response = laptop.post(
        "/account",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.headers["Location"] == "/account"
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(colleague)
    assert (
        phone.post("/login", data={"email": "staff@example.org", "password": PASSWORD}).status_code
        == 400
    )


def test_deactivation_by_an_admin_ends_every_session(app, world):
    """Does deactivating someone through the admin page log out all their devices?"""
    laptop = log_in_through_form(app, "staff@example.org")
    phone = log_in_through_form(app, "staff@example.org")
    admin = log_in_through_form(app, "admin@example.org")
    response = admin.post(f"/admin/people/{world.staff.id}/deactivate")
    assert response.headers["Location"] == f"/admin/people/{world.staff.id}"
    db.session.refresh(world.staff)
    assert not world.staff.is_active
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(admin)


def test_session_used_regularly_stays_open(app, world, clock):
    """Does a session used every 20 minutes stay open for hours?"""
    client = log_in_through_form(app, "staff@example.org")
    for _ in range(6):
        clock.advance(minutes=20)
        assert is_logged_in(client)


def test_idle_session_expires_after_the_timeout(app, world, clock):
    """Is a session left alone for 31 minutes logged out, and one left 29 minutes kept?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=29)
    assert is_logged_in(client)
    clock.advance(minutes=31)
    assert not is_logged_in(client)
    assert client.get("/").headers["Location"].startswith("/login")


@pytest.mark.parametrize("app_config", [{"IDLE_TIMEOUT_MINUTES": 5}])
def test_idle_timeout_is_configurable(app, world, clock, app_config):
    """Does IDLE_TIMEOUT_MINUTES set how long a session may sit idle?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=6)
    assert not is_logged_in(client)


def test_every_session_ends_after_the_maximum_age(app, world, clock):
    """Is even a busy session ended after SESSION_MAX_HOURS (12)?"""
    client = log_in_through_form(app, "staff@example.org")
    for _ in range(11 * 4 + 3):  # every 15 minutes for 11 hours 45 minutes
        clock.advance(minutes=15)
        assert is_logged_in(client)
    clock.advance(minutes=16)
    assert not is_logged_in(client)


@pytest.mark.parametrize("app_config", [{"SESSION_MAX_HOURS": 1}])
def test_maximum_age_is_configurable(app, world, clock, app_config):
    """Does SESSION_MAX_HOURS set the absolute lifetime of a session?"""
    client = log_in_through_form(app, "staff@example.org")
    for _ in range(3):
        clock.advance(minutes=20)
        assert is_logged_in(client)
    clock.advance(minutes=5)
    assert not is_logged_in(client)


def test_reauthentication_does_not_extend_the_maximum_age(app, world, clock):
    """Does re-entering the password leave the 12-hour limit where it was?"""
    client = log_in_through_form(app, "staff@example.org")
    for _ in range(11 * 3):  # every 20 minutes for 11 hours
        clock.advance(minutes=20)
        assert is_logged_in(client)
    assert client.post("/reauthenticate", data={"password": PASSWORD}).status_code == 302
    for _ in range(2):
        clock.advance(minutes=20)
        assert is_logged_in(client)
    clock.advance(minutes=21)
    assert not is_logged_in(client)
