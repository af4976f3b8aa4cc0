"""The account page's forms: the current password counts like a log-in, e-mail changes
are confirmed from the new address, and the person hears about every change by e-mail."""

import re
from datetime import timedelta

import pytest

from learning_hub.auth.models import EmailChange, User
from learning_hub.auth.passwords import verify_password
from learning_hub.core.audit import AuditEntry
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from tests.conftest import without_csrf
from tests.factories import PASSWORD

NEW_PASSWORD = "quiet orchard lantern seventeen"


def actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def change_password(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        "/account", data={"current_password": current, "password": new, "confirm": new}
    )


def change_email(client, address, password=PASSWORD):
    return client.post("/account/email", data={"new_email": address, "email_password": password})


def staff(world):
    db.session.expire_all()
    return db.session.get(User, world.staff.id)


def test_wrong_current_password_on_the_password_form_counts_and_locks(app, client_for, world):
    """Do wrong current passwords on the change-password form lock the account and log out?"""
    client = client_for("staff")
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        response = change_password(client, current="not my password at all")
        assert response.status_code == 400
        assert b"Your current password is not right" in response.data
    assert staff(world).failed_login_count == app.config["LOCKOUT_THRESHOLD"] - 1
    response = change_password(client, current="not my password at all")
    assert response.headers["Location"] == "/login"
    assert b"you have been logged out" in client.get("/login").data
    assert client.get("/account").status_code == 302
    assert staff(world).is_locked()
    assert not verify_password(staff(world).password_hash, NEW_PASSWORD)
    assert "login.locked" in actions()


def test_wrong_current_password_on_the_email_form_counts_and_locks(
    app, client_for, world, smtp_sink
):
    """Do wrong current passwords on the change-email form lock the account and log out?"""
    client = client_for("staff")
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        response = change_email(client, "sam.new@example.org", "not my password at all")
        assert response.status_code == 400
        assert b"Your current password is not right" in response.data
    response = change_email(client, "sam.new@example.org", "not my password at all")
    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302
    assert staff(world).is_locked()
    assert staff(world).email == "staff@example.org"
    assert smtp_sink.messages == []


def test_a_right_current_password_clears_the_count(app, client_for, world):
    """Does the right current password start the count of failures again from nothing?"""
    client = client_for("staff")
    change_password(client, current="not my password at all")
    assert staff(world).failed_login_count == 1
    assert change_password(client).status_code == 302
    assert staff(world).failed_login_count == 0


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
@pytest.mark.parametrize("form", ["password", "email"])
def test_account_forms_are_rate_limited(client_for, form, app_config, smtp_sink):
    """Does the eleventh attempt in a minute at either account form get 429?"""
    client = client_for("staff")
    statuses = []
    for n in range(11):
        if form == "password":
            response = change_password(client, current=f"wrong {n}", new="short")
        else:
            response = change_email(client, "not an address", f"wrong {n}")
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert 429 not in statuses[:4]


LINK = re.compile(r"http://localhost(/account/email/[\w-]+)")


def link_in(message):
    return LINK.search(message.get_content()).group(1)


def test_email_change_waits_for_the_link_sent_to_the_new_address(app, world, client_for, smtp_sink):
    """Does a new address take effect only when its link is opened, and then end the
    other sessions, tell the old address and stop the link working?"""
    this, other = client_for(world.staff), client_for(world.staff)
    response = change_email(this, "  Sam.New@Example.ORG ")
    assert response.headers["Location"] == "/account"
    page = this.get("/account").get_data(as_text=True)
    assert "We have sent a link to sam.new@example.org" in page
    assert staff(world).email == "staff@example.org"
    assert "user.email_change_requested" in actions()
    (message,) = smtp_sink.to("sam.new@example.org")
    link = link_in(message)
    assert other.get("/account").status_code == 200  # nothing has changed yet
    assert b"Use sam.new@example.org" in this.get(link).data
    assert this.post(link).headers["Location"] == "/account"
    assert staff(world).email == "sam.new@example.org"
    assert "user.email_changed" in actions()
    assert this.get("/account").status_code == 200
    assert other.get("/account").headers["Location"].startswith("/login")
    (notice,) = smtp_sink.to("staff@example.org")
    assert "sam.new@example.org" in notice.get_content()
    assert this.post(link).status_code == 404
    fresh = app.test_client()
    ok = fresh.post("/login", data={"email": "sam.new@example.org", "password": PASSWORD})
    assert ok.headers["Location"] == "/"


def test_a_taken_address_gets_the_same_answer_and_changes_nothing(client_for, world, smtp_sink):
    """Is someone else's address answered exactly like a free one, with nothing changed
    and only a notice (no link) sent to its holder?"""
    client = client_for("staff")
    free = change_email(client, "sam.new@example.org")
    free_page = client.get("/account").get_data(as_text=True)
    taken = change_email(client, "FACILITATOR@example.org")
    taken_page = client.get("/account").get_data(as_text=True)
    assert free.status_code == taken.status_code == 302
    assert without_csrf(free_page).replace("sam.new", "facilitator") == without_csrf(taken_page)
    assert staff(world).email == "staff@example.org"
    (notice,) = smtp_sink.to("facilitator@example.org")
    assert "/account/email/" not in notice.get_content()
    assert "Nothing has changed" in notice.get_content()
    assert (
        db.session.scalar(
            db.select(db.func.count(EmailChange.id)).where(
                EmailChange.new_email == "facilitator@example.org"
            )
        )
        == 0
    )


def test_a_new_request_stops_the_earlier_link(client_for, world, smtp_sink):
    """When a second new address is asked for, does the first one's link stop working?"""
    client = client_for("staff")
    change_email(client, "first.try@example.org")
    change_email(client, "second.try@example.org")
    first = link_in(smtp_sink.to("first.try@example.org")[0])
    assert client.post(first).status_code == 404
    second = link_in(smtp_sink.to("second.try@example.org")[0])
    assert client.post(second).status_code == 302
    assert staff(world).email == "second.try@example.org"


@pytest.mark.parametrize("address", ["facilitator@example.org", "sam.new@example.org"])
def test_the_password_is_checked_before_anything_about_the_address(
    client_for, world, smtp_sink, address
):
    """With a wrong password, is the answer the same for a taken and a free address?"""
    client = client_for("staff")
    response = change_email(client, address, "not my password at all")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Your current password is not right" in body
    assert "already" not in body and "We have sent" not in body
    assert smtp_sink.messages == []


@pytest.mark.parametrize(
    ("address", "password", "message"),
    [
        ("staff@example.org", PASSWORD, b"This is already your email address"),
        ("not an address", PASSWORD, b"Enter an email address in the right format"),
        ("", PASSWORD, b"Enter your new email address"),
        ("sam.new@example.org", "", b"Enter your current password"),
    ],
)
def test_email_change_refuses_bad_input_and_keeps_it(
    client_for, world, smtp_sink, address, password, message
):
    """Is an unchanged or malformed address, or no password, refused beside the field?"""
    client = client_for("staff")
    response = change_email(client, address, password)
    assert response.status_code == 400
    assert message in response.data
    assert b"There is a problem" in response.data
    assert smtp_sink.messages == []


def test_the_link_works_only_for_the_person_logged_in(client, world, client_for, smtp_sink):
    """Does a link opened by someone else, or by nobody logged in, change nothing?"""
    change_email(client_for(world.staff), "sam.new@example.org")
    link = link_in(smtp_sink.to("sam.new@example.org")[0])
    assert client.post(link).headers["Location"].startswith("/login")
    assert client_for(world.facilitator).post(link).status_code == 404
    assert staff(world).email == "staff@example.org"


def test_the_link_expires(client_for, world, smtp_sink):
    """Does a link older than EMAIL_CHANGE_TTL_HOURS stop working?"""
    client = client_for("staff")
    change_email(client, "sam.new@example.org")
    link = link_in(smtp_sink.to("sam.new@example.org")[0])
    change = db.session.scalar(db.select(EmailChange))
    change.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert staff(world).email == "staff@example.org"


def test_without_mail_the_email_form_is_replaced_by_a_sentence(client_for, world):
    """With no mail server, does the account page say addresses can't be changed, and
    does a posted change do nothing?"""
    client = client_for("staff")
    page = client.get("/account").get_data(as_text=True)
    assert "Email addresses can't be changed on this site yet" in page
    assert 'name="new_email"' not in page
    response = change_email(client, "sam.new@example.org")
    assert response.status_code == 400
    assert staff(world).email == "staff@example.org"
    assert db.session.scalar(db.select(db.func.count(EmailChange.id))) == 0


def test_a_password_change_is_mailed_to_the_person(client_for, world, smtp_sink):
    """Is the person told by e-mail when their password changes?"""
    client = client_for("staff")
    assert change_password(client).status_code == 302
    (message,) = smtp_sink.to("staff@example.org")
    assert "password" in message["Subject"].lower()
    assert "tell your admin" in message.get_content()
