"""Log-in, log-out and invitations start a clean session with a new CSRF secret; signed
form tokens expire after WTF_CSRF_TIME_LIMIT, and a re-read page's token works."""

import re

import pytest
from itsdangerous import TimestampSigner

from learning_hub.auth.services import issue_invitation
from learning_hub.core.extensions import db
from tests import factories
from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
pytestmark = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])


def token_on(client, path):
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def log_in(client, token):
    data = {"email": "staff@example.org", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.headers["Location"] == "/"
    return response


def test_a_csrf_token_from_before_log_in_does_not_work_after_it(client, world, app_config):
    """Does a CSRF token captured before log-in fail after it (a new secret was issued)?"""
    before = token_on(client, "/login")
    log_in(client, before)
    response = client.post("/logout", data={"csrf_token": before})
    assert response.status_code == 400
    assert b"Please send that form again" in response.data
    after = token_on(client, "/account")
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_log_in_keeps_nothing_from_the_session_before(client, world, app_config):
    """Does the session after log-in carry nothing that was put in it before?"""
    token = token_on(client, "/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone who set this cookie"
    log_in(client, token)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{world.staff.id}:")


def test_log_out_clears_the_session(client, world, app_config):
    """After log-out, is the session empty but for the goodbye message, with a new secret?"""
    log_in(client, token_on(client, "/login"))
    token = token_on(client, "/account")
    with client.session_transaction() as session:
        secret = session["csrf_token"]
        session["planted"] = "left over"
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    with client.session_transaction() as session:
        assert set(session) <= {"_flashes"}
    token_on(client, "/login")
    with client.session_transaction() as session:
        assert session["csrf_token"] != secret


def test_accepting_an_invitation_starts_a_clean_session(client, world, app_config):
    """Does accepting an invitation drop what the session held and issue a new secret?"""
    invited = factories.create_user(email="new@example.org", password=None)
    invitation_token = issue_invitation(invited, world.admin)
    db.session.commit()
    url = f"/invitation/{invitation_token}"
    before = token_on(client, url)
    with client.session_transaction() as session:
        session["planted"] = "left over"
    new = "quiet orchard lantern seventeen"
    response = client.post(url, data={"password": new, "confirm": new, "csrf_token": before})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400


class Later:
    """Moves the clock that signs and checks CSRF tokens forward."""

    def __init__(self, monkeypatch):
        self.offset = 0
        get_timestamp = TimestampSigner.get_timestamp
        monkeypatch.setattr(
            TimestampSigner, "get_timestamp", lambda signer: get_timestamp(signer) + self.offset
        )

    def advance(self, seconds):
        self.offset += seconds


def test_a_signed_form_token_expires_after_an_hour(client, world, app_config, monkeypatch):
    """Is a form sent more than an hour after its page was read refused, with a page that
    says to reload it, and does the re-read page's token then work?"""
    clock = Later(monkeypatch)
    log_in(client, token_on(client, "/login"))
    token = token_on(client, "/account")
    clock.advance(59 * 60)
    data = {"new_email": "x@example.org", "email_password": "wrong", "csrf_token": token}
    within = client.post("/account/email", data=data)
    assert within.status_code == 400 and b"Please send that form again" not in within.data
    clock.advance(2 * 60)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "open for more than an hour" in page and "reload the page" in page
    assert client.get("/").status_code == 200  # still logged in: nothing was lost but the form
    fresh = token_on(client, "/account")
    assert fresh != token
    assert client.post("/logout", data={"csrf_token": fresh}).status_code == 302
