"""Self-service password reset: a single-use, expiring link mailed to the account's own
address, the same answer for every address, limited per address and per client."""

import re
from datetime import timedelta

import pytest

from learning_hub.auth.models import PasswordReset, hash_token
from learning_hub.auth.passwords import verify_password
from learning_hub.core.audit import AuditEntry
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from tests import factories

NEW_PASSWORD = "quartz meadow lantern ferry"
LINK = re.compile(r"http://localhost/password/reset/([\w-]+)")


@pytest.fixture
def outbox(smtp_sink):
    """Mail goes to the local SMTP sink; the envelopes it received so far."""
    return smtp_sink.envelopes


def body(message):
    return message.content.decode().replace("=\r\n", "").replace("\r\n", "\n")


def ask_for_reset(client, email, **kwargs):
    """POST the forgot-password form and let the response finish (mail goes after it)."""
    with client.post("/password/forgot", data={"email": email}, **kwargs) as response:
        pass
    return response


def mailed_token(outbox, address):
    [message] = [m for m in outbox if m.rcpt_tos == [address]]
    return LINK.search(body(message)).group(1)


def test_login_page_links_to_forgotten_password(client):
    """Does the log-in page link to the forgotten-password page?"""
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_reset_link_is_mailed_to_the_accounts_own_address(client, world, outbox):
    """Is a single-use link mailed to the account's address, and stored only as a digest?"""
    response = ask_for_reset(client, "  STAFF@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/password/forgot/sent"
    assert [m.rcpt_tos for m in outbox] == [["staff@example.org"]]
    token = mailed_token(outbox, "staff@example.org")
    [reset] = db.session.scalars(db.select(PasswordReset)).all()
    assert reset.user_id == world.staff.id and reset.token_hash == hash_token(token)
    assert token not in reset.token_hash
    assert 60 - 1 <= (reset.expires_at - utcnow()).total_seconds() / 60 <= 60
    page = client.get("/password/forgot/sent").get_data(as_text=True)
    assert "Check your email" in page


def test_every_address_gets_the_same_answer(client, world, outbox):
    """Is the answer the same for an account, an unknown, a deactivated and an erased address?"""
    factories.create_user(email="gone@example.org", is_active=False)
    factories.create_user(email="erased@example.org", erased_at=utcnow(), is_active=False)
    answers = []
    for address in (
        "staff@example.org",
        "nobody@example.org",
        "gone@example.org",
        "erased@example.org",
    ):
        response = ask_for_reset(client, address)
        page = client.get(response.headers["Location"])
        answers.append((response.status_code, response.headers["Location"], page.data))
    assert len(set(answers)) == 1
    assert [m.rcpt_tos for m in outbox] == [["staff@example.org"]]
    assert db.session.scalar(db.select(db.func.count(PasswordReset.id))) == 1
    requested = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "password_reset.requested")
    ).all()
    assert len(requested) == 4
    assert all("example.org" not in entry.detail for entry in requested)


def test_forgot_form_refuses_a_malformed_address_and_keeps_it(client, world, outbox):
    """Does a malformed address get a message beside the field, with what was typed kept?"""
    response = ask_for_reset(client, "not-an-email")
    assert response.status_code == 400
    assert b"Enter an email address in the right format" in response.data
    assert b'value="not-an-email"' in response.data
    assert outbox == []


def test_reset_sets_the_password_and_ends_every_other_session(app, world, client_for, outbox):
    """Does the link set a new password, end other sessions, log in afresh and tell the person?"""
    elsewhere = client_for(world.staff)
    client = app.test_client()
    ask_for_reset(client, "staff@example.org")
    ask_for_reset(client, "staff@example.org")  # a second link, spent along with the first
    first, second = (LINK.search(body(m)).group(1) for m in outbox)
    assert "Choose a new password" in client.get(f"/password/reset/{first}").get_data(as_text=True)
    response = client.post(
        f"/password/reset/{first}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.refresh(world.staff)
    assert verify_password(world.staff.password_hash, NEW_PASSWORD)
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    for token in (first, second):
        assert client.get(f"/password/reset/{token}").status_code == 404
    changed = [m for m in outbox if b"has been changed" in m.content]
    assert [m.rcpt_tos for m in changed] == [["staff@example.org"]]
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"password_reset.requested", "password_reset.completed"} <= actions
    completed = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "password_reset.completed")
    )
    assert completed.actor_id == world.staff.id


def test_reset_refuses_a_weak_password_and_keeps_the_link(client, world, outbox):
    """Is a password the policy refuses answered beside the field, with the link still usable?"""
    ask_for_reset(client, "staff@example.org")
    token = mailed_token(outbox, "staff@example.org")
    response = client.post(
        f"/password/reset/{token}", data={"password": "short", "confirm": "short"}
    )
    assert response.status_code == 400
    assert b"field-error" in response.data
    assert client.get(f"/password/reset/{token}").status_code == 200
    db.session.refresh(world.staff)
    assert verify_password(world.staff.password_hash, factories.PASSWORD)


def test_expired_used_and_unknown_links_get_a_plain_page(client, world, outbox):
    """Are expired, unknown and deactivated-account links a plain 404 page?"""
    ask_for_reset(client, "staff@example.org")
    token = mailed_token(outbox, "staff@example.org")
    reset = db.session.scalars(db.select(PasswordReset)).one()
    reset.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for url in (f"/password/reset/{token}", "/password/reset/made-up-token"):
        page = client.get(url)
        assert page.status_code == 404 and b"This reset link does not work" in page.data
    reset.expires_at = utcnow() + timedelta(minutes=30)
    world.staff.is_active = False
    db.session.commit()
    response = client.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 404


def test_reset_revokes_an_outstanding_invitation(client, world, outbox):
    """After an invited person sets a password by a reset link, is their invitation dead?"""
    from learning_hub.auth.services import issue_invitation

    invited = factories.create_user(password=None, email="new@example.org")
    invitation_token = issue_invitation(invited, world.admin)
    db.session.commit()
    ask_for_reset(client, "new@example.org")
    token = mailed_token(outbox, "new@example.org")
    client.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert client.get(f"/invitation/{invitation_token}").status_code == 404


def test_without_a_mail_server_the_page_says_to_ask_an_admin(client, world):
    """With no mail server, does the page send people to their admin, with no form?"""
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "Ask your admin" in page and 'name="email"' not in page
    response = ask_for_reset(client, "staff@example.org")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(PasswordReset.id))) == 0


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_reset_requests_are_limited_per_address(app, world, outbox, app_config):
    """Past three requests for one address, is a fourth refused even from another client?"""
    statuses = [
        ask_for_reset(
            app.test_client(), "staff@example.org", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    other = ask_for_reset(app.test_client(), "outsider@example.org")
    assert other.status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_reset_requests_are_limited_per_client(client, world, outbox, app_config):
    """Past the log-in limit, is one client asking for many addresses refused?"""
    statuses = [ask_for_reset(client, f"x{n}@example.org").status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_mailed_links_use_base_url_whatever_the_host(client, world, outbox):
    """Is the mailed reset link built on BASE_URL when the request named another host?"""
    ask_for_reset(client, "staff@example.org", headers={"Host": "evil.example"})
    [message] = outbox
    assert "http://localhost/password/reset/" in body(message)
    assert b"evil.example" not in message.content
