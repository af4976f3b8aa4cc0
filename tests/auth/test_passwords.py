"""The password policy, invitations and the account page."""

import pytest

from learning_hub.auth.models import Invitation, User
from learning_hub.auth.passwords import hash_password, password_problem, verify_password
from learning_hub.auth.services import invite_person
from learning_hub.core.extensions import db


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

    from learning_hub.core.database import utcnow

    user, token = _invite(world)
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.user_id == user.id))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/invitation/{token}").status_code == 404


def test_reissued_invitation_kills_the_old_link(client_for, client, world):
    """When an admin sends a new link, does the old one stop working at once?"""
    admin_client = client_for("admin")
    user, token = _invite(world)
    assert admin_client.post(f"/admin/people/{user.id}/invitation").status_code == 302
    assert client.get(f"/invitation/{token}").status_code == 404


def test_change_password_ends_other_sessions(world, client_for):
    """Does changing the password log the person out on their other devices?"""
    here, elsewhere = client_for(world.staff), client_for(world.staff)
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


def test_change_password_needs_current_password(client_for, world):
    """Is a wrong current password refused, with the new one not stored?"""
    client = client_for("staff")
    response = client.post(
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


def test_the_common_password_list_holds_the_hundred_thousand_most_common():
    """Does the bundled list hold SecLists' 100,000 most common passwords, lower-cased?"""
    from learning_hub.auth.passwords import common_passwords

    listed = common_passwords()
    assert len(listed) >= 100_000
    # From far down the 100,000 (the 10,000s and the last lines), and Django's list too.
    assert {"070162", "07031967", "fkmnthyfnbdf", "123456654321a", "1q2w3e4r5t6y"} <= listed


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1q2w3e4r5t6y", "sequence or a run of keys"),
        ("polniypizdec0211", "100,000 passwords"),
        ("FKMNTHYFNBDF", "100,000 passwords"),
        ("abcdefghijkl", "sequence or a run of keys"),
        ("123456789012", "sequence or a run of keys"),
        ("qwertyuiopas", "sequence or a run of keys"),
        ("1qaz2wsx3edc", "sequence or a run of keys"),
        ("zyxwvutsrqpo", "sequence or a run of keys"),
        ("asdfghjkl;'#", "sequence or a run of keys"),
        ("learning hub", "name of this site"),
        ("LearningHub2026", "name of this site"),
        ("learning-hub-rocks", "name of this site"),
        ("learning-hub-demo", "published with the demo data"),
        ("Scale-Password-123", "published with the demo data"),
    ],
)
def test_password_policy_refuses_guessable_passwords_and_says_why(password, reason):
    """Are breached passwords, sequences, keyboard runs, the site's name and the demo
    passwords refused, each with a reason in plain words?"""
    assert reason in (password_problem(password) or "")


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "tidal orchard lantern",
        "my learning hub notebook of fine things",
        "Kettle-Harbour-91-Quince",
        "river basket hollow ninety",
    ],
)
def test_password_policy_accepts_unrelated_words(password):
    """Are passphrases of unrelated words accepted, even one mentioning the site in passing?"""
    assert password_problem(password) is None


def test_invitation_says_why_a_keyboard_run_is_refused(client, world):
    """Is a keyboard run refused beside the field on the invitation page, in plain words?"""
    _, token = _invite(world)
    data = {"password": "qwertyuiopas", "confirm": "qwertyuiopas"}
    response = client.post(f"/invitation/{token}", data=data)
    assert response.status_code == 400
    assert b"a run of keys on the keyboard" in response.data


def test_password_check_is_fast():
    """Does checking a password against the policy stay cheap once the list is loaded?"""
    import time

    password_problem("warm up the list once")
    started = time.perf_counter()
    for n in range(200):
        password_problem(f"tidal orchard lantern {n}")
    assert time.perf_counter() - started < 2.0  # generous: about a millisecond in all


def test_seed_demo_still_takes_the_published_demo_password(runner):
    """Does `make demo`'s seed-demo --password learning-hub-demo still load the demo?"""
    result = runner.invoke(args=["seed-demo", "--password", "learning-hub-demo"])
    assert result.exit_code == 0, result.output
    assert "learning-hub-demo" in result.output
