"""An admin can never become another person: re-invitation is only for accounts without a
password, and no invitation opens an account that has one."""

import pytest

from learning_hub.auth import services
from learning_hub.auth.models import Invitation
from learning_hub.auth.passwords import verify_password
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests import factories

NEW_PASSWORD = "quartz meadow lantern ferry"


def invitations_of(user):
    return db.session.scalars(db.select(Invitation).where(Invitation.user_id == user.id)).all()


def test_admin_cannot_reinvite_an_account_with_a_password(client_for, world):
    """Is a new invitation for an account with a password refused, with no token made or shown?"""
    client = client_for("admin")
    response = client.post(f"/admin/people/{world.staff.id}/invitation")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "/invitation/" not in page
    assert "already has a password" in page
    assert invitations_of(world.staff) == []
    assert verify_password(world.staff.password_hash, factories.PASSWORD)
    assert not db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "user.invitation_reissued")
    )


def test_person_page_offers_no_invitation_for_an_account_with_a_password(client_for, world):
    """Does the admin person page hide the button and point to "Forgotten your password?"?"""
    client = client_for("admin")
    page = client.get(f"/admin/people/{world.staff.id}").get_data(as_text=True)
    assert f"/admin/people/{world.staff.id}/invitation" not in page
    assert "Forgotten your password?" in page


def test_password_less_account_is_reinvited_by_the_admin(client_for, world):
    """Can an admin re-invite an account that never set a password, audited as the admin?"""
    client = client_for("admin")
    invited = factories.create_user(password=None, email="new@example.org")
    page = client.get(f"/admin/people/{invited.id}").get_data(as_text=True)
    assert f"/admin/people/{invited.id}/invitation" in page
    response = client.post(f"/admin/people/{invited.id}/invitation")
    assert "/invitation/" in client.get(response.headers["Location"]).get_data(as_text=True)
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "user.invitation_reissued")
    )
    assert entry.actor_id == world.admin.id and entry.object_id == invited.id


def test_an_invitation_never_opens_an_account_with_a_password(client, world):
    """Is an outstanding invitation refused once the account has a password by any route?"""
    invited = factories.create_user(password=None, email="new@example.org")
    token = services.issue_invitation(invited, world.admin)
    db.session.commit()
    # However the password came to be set (here: straight in the row), the link is dead.
    invited.password_hash = world.staff.password_hash
    db.session.commit()
    assert client.get(f"/invitation/{token}").status_code == 404
    response = client.post(
        f"/invitation/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 404
    db.session.refresh(invited)
    assert verify_password(invited.password_hash, factories.PASSWORD)


def test_setting_a_password_revokes_outstanding_invitations(app, world):
    """Does setting a password by any route revoke the person's unused invitations?"""
    invited = factories.create_user(password=None, email="new@example.org")
    services.issue_invitation(invited, world.admin)
    services.set_password(invited, NEW_PASSWORD)
    db.session.commit()
    assert [i.revoked_at is not None for i in invitations_of(invited)] == [True]


def test_issuing_an_invitation_for_an_account_with_a_password_is_refused(app, world):
    """Does the service itself refuse to make an invitation for an account with a password?"""
    with pytest.raises(ValueError, match="already has a password"):
        services.issue_invitation(world.staff, world.admin)
    assert invitations_of(world.staff) == []
