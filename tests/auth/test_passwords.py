"""The password policy, invitations and the account page."""

import pytest

from learning_hub.auth.models import Invitation, User
from learning_hub.auth.passwords import hash_password, password_problem, verify_password
from learning_hub.auth.services import invite_person
from learning_hub.extensions import db


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("a" * 11, "at least 12"),
        ("x" * 129, "128 characters or fewer"),
        ("password1234", "too common"),
        ("aaaaaaaaaaaaaaa", "too common"),
    ],
)
def test_password_policy_refuses(password, problem):
    """Are short, long and common passwords refused with a reason?"""
    assert problem in password_problem(password)


@pytest.mark.parametrize("length", [12, 128])
def test_password_policy_accepts_the_bounds(length):
    """Are passwords of exactly 12 and exactly 128 characters accepted?"""
    password = ("tidal-orchard-" * 20)[:length]
    assert password_problem(password) is None


def test_hashes_are_argon2id(app):
    """Is the stored hash argon2id, and does it verify only the right password?"""
    hashed = hash_password("tidal orchard lantern")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "tidal orchard lantern")
    assert not verify_password(hashed, "tidal orchard lanterns")
    assert not verify_password(None, "anything")


def _invite(world):
    user, token = invite_person(
        email="New.Person@example.org",
        display_name="New Person",
        role="staff",
        invited_by=world.admin,
        team=world.north,
        team_role="member",
    )
    db.session.commit()
    return user, token


def test_invitation_sets_password_once(client, world):
    """Can an invited person set a password once, and is the link dead afterwards?"""
    user, token = _invite(world)
    assert client.get(f"/invitation/{token}").status_code == 200
    data = {"password": "tidal orchard lantern", "confirm": "tidal orchard lantern"}
    response = client.post(f"/invitation/{token}", data=data)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get(f"/invitation/{token}").status_code == 404
    db.session.refresh(user)
    assert verify_password(user.password_hash, "tidal orchard lantern")
    assert user.email == "new.person@example.org"


def test_invitation_refuses_weak_password_and_keeps_nothing_secret(client, world):
    """Does a short password get a clear message beside the field?"""
    _, token = _invite(world)
    response = client.post(f"/invitation/{token}", data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert b"at least 12 characters" in response.data
    assert b"There is a problem" in response.data


def test_invitation_confirmation_must_match(client, world):
    """Are two different passwords refused?"""
    _, token = _invite(world)
    response = client.post(
        f"/invitation/{token}",
        data={"password": "tidal orchard lantern", "confirm": "tidal orchard lanterns"},
    )
    assert b"The two passwords do not match" in response.data


def test_expired_invitation_is_refused(client, world):
    """Does an invitation past its expiry stop working?"""
    from datetime import timedelta

    from learning_hub.database import utcnow

    user, token = _invite(world)
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.user_id == user.id))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invitation/{token}").status_code == 404


def test_reissued_invitation_kills_the_old_link(admin_client, client, world):
    """When an admin sends a new link, does the old one stop working at once?"""
    user, token = _invite(world)
    assert admin_client.post(f"/admin/people/{user.id}/invitation").status_code == 302
    assert client.get(f"/invitation/{token}").status_code == 404


def test_change_password_ends_other_sessions(world, login):
    """Does changing the password log the person out on their other devices?"""
    here, elsewhere = login(world.staff), login(world.staff)
    response = here.post(
        "/account",
        data={
            "current_password": "correct horse battery staple",
            "password": "tidal orchard lantern",
            "confirm": "tidal orchard lantern",
        },
    )
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_change_password_needs_current_password(staff_client, world):
    """Is a wrong current password refused, with the new one not stored?"""
    response = staff_client.post(
        "/account",
        data={
            "current_password": "not it at all",
            "password": "tidal orchard lantern",
            "confirm": "tidal orchard lantern",
        },
    )
    assert response.status_code == 400
    assert b"Your current password is not right" in response.data
    db.session.expire_all()
    assert not verify_password(
        db.session.get(User, world.staff.id).password_hash, "tidal orchard lantern"
    )
