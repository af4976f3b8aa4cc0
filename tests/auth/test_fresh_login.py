"""Sensitive changes need a recent log-in: the re-authentication page and its guards."""

import pytest

from learning_hub.auth.models import Role
from learning_hub.auth.passwords import verify_password
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "quiet orchard lantern seventeen"


def actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def log_in_through_form(app, email):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def change_password(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        "/account", data={"current_password": current, "password": new, "confirm": new}
    )


def test_password_change_soon_after_login_needs_no_reauthentication(app, world, clock):
    """Can a person who logged in a few minutes ago change their password straight away?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=9)
    response = change_password(client)
    assert response.headers["Location"] == "/account"
    db.session.refresh(world.staff)
    assert verify_password(world.staff.password_hash, NEW_PASSWORD)


def test_stale_password_change_asks_for_the_password_again(app, world, clock):
    """After REAUTH_MINUTES, is a password change sent to /reauthenticate and not made?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=11)
    response = change_password(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/reauthenticate?next=/account"
    db.session.refresh(world.staff)
    assert verify_password(world.staff.password_hash, PASSWORD)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b"please enter your password again" in page.data


def test_reauthentication_returns_the_person_and_makes_them_fresh(app, world, clock):
    """Does the right password send the person back to where they were, able to change it?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=25)
    response = client.post("/reauthenticate?next=/account", data={"password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert "reauth.succeeded" in actions()
    assert change_password(client).headers["Location"] == "/account"
    db.session.refresh(world.staff)
    assert verify_password(world.staff.password_hash, NEW_PASSWORD)


@pytest.mark.parametrize("app_config", [{"REAUTH_MINUTES": 2}])
def test_reauth_window_is_configurable(app, world, clock, app_config):
    """Does REAUTH_MINUTES set how long a log-in counts as fresh?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=3)
    assert change_password(client).headers["Location"].startswith("/reauthenticate")


def test_wrong_password_on_reauthentication_is_refused_and_audited(app, world, clock):
    """Is a wrong password refused beside the field, audited, and the session kept?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=20)
    response = client.post("/reauthenticate?next=/account", data={"password": "not it at all"})
    assert response.status_code == 400
    assert b"That password is not right" in response.data
    assert "reauth.failed" in actions()
    assert client.get("/").status_code == 200
    assert change_password(client).headers["Location"].startswith("/reauthenticate")


def test_repeated_wrong_reauthentication_logs_out_and_locks(app, world, clock):
    """After five wrong passwords, is the person logged out and the account locked?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=20)
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        client.post("/reauthenticate", data={"password": "still not the password"})
    response = client.post("/reauthenticate", data={"password": "still not the password"})
    assert response.headers["Location"] == "/login"
    assert b"you have been logged out" in client.get("/login").data
    assert client.get("/").status_code == 302
    db.session.refresh(world.staff)
    assert world.staff.is_locked()
    assert "login.locked" in actions()


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_reauthentication_never_leaves_the_site(client_for, target):
    """Does ``next=`` on the re-authentication page refuse other sites?"""
    client = client_for("staff")
    response = client.post(f"/reauthenticate?next={target}", data={"password": PASSWORD})
    assert response.headers["Location"] == "/account"


def test_reauthentication_needs_a_login(client, world):
    """Is an anonymous visitor sent to log in rather than shown the page?"""
    assert client.get("/reauthenticate").headers["Location"].startswith("/login")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_reauthentication_is_rate_limited(client_for, app_config):
    """Does the eleventh attempt in a minute get 429, as on the log-in page?"""
    client = client_for("staff")
    statuses = [
        client.post("/reauthenticate", data={"password": f"wrong {i}"}).status_code
        for i in range(11)
    ]
    assert statuses[-1] == 429
    assert 429 not in statuses[:4]


def test_invitation_counts_as_a_fresh_login(app, world, clock):
    """Can someone who has just accepted an invitation change their password at once?"""
    from learning_hub.auth.services import issue_invitation
    from tests.factories import create_user

    token = issue_invitation(create_user(password=None), world.admin)
    db.session.commit()
    client = app.test_client()
    clock.advance(hours=1)
    response = client.post(
        f"/invitation/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    clock.advance(minutes=5)
    other = "river basket hollow ninety"
    assert change_password(client, NEW_PASSWORD, other).headers["Location"] == "/account"


def stale_admin(app, world, clock):
    client = log_in_through_form(app, "admin@example.org")
    clock.advance(minutes=30 - 1)
    client.get("/")  # keep the session from going idle
    clock.advance(minutes=2)
    return client


def test_stale_role_change_asks_for_the_password_again(app, world, clock):
    """Is an admin's role change refused until they re-enter their password?"""
    client = stale_admin(app, world, clock)
    url = f"/admin/people/{world.staff.id}/role"
    response = client.post(url, data={"role": "admin"})
    person = f"/admin/people/{world.staff.id}"
    assert response.headers["Location"] == f"/reauthenticate?next={person}"
    db.session.refresh(world.staff)
    assert world.staff.role == Role.STAFF
    back = client.post(response.headers["Location"], data={"password": PASSWORD})
    assert back.headers["Location"] == f"/admin/people/{world.staff.id}"
    assert client.post(url, data={"role": "leader"}).status_code == 302
    db.session.refresh(world.staff)
    assert world.staff.role == Role.LEADER


def test_stale_deactivation_asks_for_the_password_again(app, world, clock):
    """Is an admin's deactivation of someone refused until they re-enter their password?"""
    client = stale_admin(app, world, clock)
    response = client.post(f"/admin/people/{world.staff.id}/deactivate")
    assert response.headers["Location"].startswith("/reauthenticate?next=")
    db.session.refresh(world.staff)
    assert world.staff.is_active


def change_email(client, address, password=PASSWORD):
    return client.post("/account/email", data={"new_email": address, "email_password": password})


def test_stale_email_change_asks_for_the_password_again(app, world, clock):
    """Is an email change refused after REAUTH_MINUTES until the password is re-entered?"""
    client = log_in_through_form(app, "staff@example.org")
    clock.advance(minutes=15)
    response = change_email(client, "sam.new@example.org")
    assert response.headers["Location"] == "/reauthenticate?next=/account"
    db.session.refresh(world.staff)
    assert world.staff.email == "staff@example.org"


def test_stale_erasure_asks_for_the_password_again(app, world, clock):
    """Is an admin's erasure of someone refused until they re-enter their password?"""
    client = stale_admin(app, world, clock)
    url = f"/admin/people/{world.staff.id}/erase"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"email": world.staff.email})
    assert response.headers["Location"] == f"/reauthenticate?next={url}"
    db.session.refresh(world.staff)
    assert not world.staff.is_erased
    back = client.post(response.headers["Location"], data={"password": PASSWORD})
    assert back.headers["Location"] == url
    assert client.post(url, data={"email": world.staff.email}).status_code == 302
    db.session.refresh(world.staff)
    assert world.staff.is_erased
