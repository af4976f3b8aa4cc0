"""Inviting people, deactivating them, teams and memberships."""

from learning_hub.auth.models import Membership, Role, User
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db


def test_admin_invites_a_person_into_a_team(client_for, world):
    """Does inviting create the account, its membership and a one-time link?"""
    client = client_for("admin")
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "rita@example.org",
            "display_name": "Rita Reyes",
            "role": "staff",
            "team_id": world.north.id,
            "team_role": "facilitator",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "rita@example.org"))
    assert user.password_hash is None and user.role == Role.STAFF
    assert user.membership_in(world.north.id).is_facilitator
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/invitation/" in page
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.invited"))


def test_invite_refuses_bad_input_and_keeps_it(client_for, world):
    """Does an invalid email get a message while the name typed is kept?"""
    client = client_for("admin")
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "not-an-email",
            "display_name": "Rita Reyes",
            "role": "staff",
            "team_id": 0,
            "team_role": "member",
        },
    )
    assert response.status_code == 400
    assert b"Enter an email address in the right format" in response.data
    assert b'value="Rita Reyes"' in response.data
    assert b'value="not-an-email"' in response.data


def test_invite_refuses_existing_email(client_for, world):
    """Is a second account for the same email refused?"""
    client = client_for("admin")
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "STAFF@example.org",
            "display_name": "Sam Again",
            "role": "staff",
            "team_id": 0,
            "team_role": "member",
        },
    )
    assert response.status_code == 400
    assert b"already has an account" in response.data


def test_forged_role_value_is_refused(client_for, world):
    """Is a role outside the list refused rather than stored?"""
    client = client_for("admin")
    response = client.post(
        "/admin/people/invite",
        data={
            "email": "x@example.org",
            "display_name": "X",
            "role": "superuser",
            "team_id": 0,
            "team_role": "member",
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(User).where(User.email == "x@example.org")) is None


def test_deactivate_and_reactivate(client_for, world):
    """Does deactivation end the person's sessions, and reactivation let them back?"""
    client = client_for("admin")
    staff = client_for(world.staff)
    assert client.post(f"/admin/people/{world.staff.id}/deactivate").status_code == 302
    assert staff.get("/").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, world.staff.id).is_active
    client.post(f"/admin/people/{world.staff.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(User, world.staff.id).is_active


def test_admin_cannot_deactivate_themselves(client_for, world):
    """Is an admin stopped from locking themselves out?"""
    client = client_for("admin")
    client.post(f"/admin/people/{world.admin.id}/deactivate")
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).is_active


def test_change_role_applies_at_once(client_for, world):
    """Does a role change end the person's sessions so it takes effect?"""
    client = client_for("admin")
    leader = client_for(world.leader)
    response = client.post(f"/admin/people/{world.leader.id}/role", data={"role": "staff"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.leader.id).role == Role.STAFF
    assert leader.get("/").status_code == 302


def test_create_team_and_set_memberships(client_for, world):
    """Can an admin create a team, add a member, promote them and remove them?"""
    client = client_for("admin")
    response = client.post(
        "/admin/teams/new", data={"name": "East", "description": "", "timezone": "Europe/London"}
    )
    assert response.status_code == 302
    team_url = response.headers["Location"]
    team_id = int(team_url.rstrip("/").split("/")[-1])
    client.post(f"{team_url}/members", data={"email": "staff@example.org", "role": "member"})
    client.post(f"{team_url}/members", data={"email": "staff@example.org", "role": "facilitator"})
    memberships = db.session.scalars(
        db.select(Membership).where(Membership.team_id == team_id)
    ).all()
    assert [m.role.value for m in memberships] == ["facilitator"]
    client.post(f"{team_url}/members/{world.staff.id}/remove")
    assert (
        db.session.scalars(db.select(Membership).where(Membership.team_id == team_id)).all() == []
    )


def test_duplicate_team_name_refused(client_for, world):
    """Is a second team called North refused with the text kept?"""
    client = client_for("admin")
    response = client.post(
        "/admin/teams/new",
        data={"name": "North", "description": "Second one", "timezone": "Europe/London"},
    )
    assert response.status_code == 400
    assert b"already a team with this name" in response.data
    assert b"Second one" in response.data


def test_membership_for_unknown_email_refused(client_for, world):
    """Is adding someone without an account refused with a clear message?"""
    client = client_for("admin")
    response = client.post(
        f"/admin/teams/{world.north.id}/members",
        data={"email": "ghost@example.org", "role": "member"},
    )
    assert response.status_code == 400
    assert b"invite them first" in response.data


def test_audit_entries_cannot_be_changed(app, world):
    """Does the audit log refuse updates and deletes?"""
    import pytest

    from learning_hub.core import audit

    entry = audit.record("test.event", world.north, actor=world.admin)
    db.session.commit()
    entry.detail = "rewritten"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
