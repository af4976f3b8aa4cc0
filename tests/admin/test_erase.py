"""Erasing a departed person: private material goes, team records stay as "Former member"."""

import pytest

from learning_hub.auth.models import Invitation, Membership, PasswordReset, User
from learning_hub.cases.models import CaseReflection, CaseResponse, TimelineEntry
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from learning_hub.modules.models import (
    LearningGoal,
    ModuleProgress,
    Reflection,
    ReflectionResponse,
    ReflectionRevision,
)
from learning_hub.privacy import erasure
from learning_hub.reviews.models import Action, AgendaItem, CalendarFeed, ReminderSent
from learning_hub.selfchecks.models import PeriodScore, SelfCheck, SelfCheckAnswer
from tests.factories import PASSWORD
from tests.lifecycle_material import write_everything


def count(model, *where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def private_rows(user_id):
    """Rows of the person's private material, per table."""
    checks = db.select(SelfCheck.id).where(SelfCheck.user_id == user_id)
    own = db.select(Reflection.id).where(Reflection.author_id == user_id)
    return {
        "reflections (private)": count(
            Reflection, Reflection.author_id == user_id, Reflection.shared_team_id.is_(None)
        ),
        "reflection_revisions": count(
            ReflectionRevision, ReflectionRevision.reflection_id.in_(own)
        ),
        "learning_goals": count(LearningGoal, LearningGoal.owner_id == user_id),
        "self_checks": count(SelfCheck, SelfCheck.user_id == user_id),
        "self_check_answers": count(SelfCheckAnswer, SelfCheckAnswer.self_check_id.in_(checks)),
        "period_scores": count(PeriodScore, PeriodScore.user_id == user_id),
        "module_progress": count(ModuleProgress, ModuleProgress.user_id == user_id),
        "calendar_feeds": count(CalendarFeed, CalendarFeed.user_id == user_id),
        "invitations": count(Invitation, Invitation.user_id == user_id),
        "password_resets": count(PasswordReset, PasswordReset.user_id == user_id),
        "reminders_sent": count(ReminderSent, ReminderSent.user_id == user_id),
        "memberships": count(Membership, Membership.user_id == user_id),
    }


def team_rows(user_id):
    """Rows of the person's contributions to team records, per table."""
    return {
        "reflections (shared)": count(
            Reflection, Reflection.author_id == user_id, Reflection.shared_team_id.is_not(None)
        ),
        "reflection_responses": count(ReflectionResponse, ReflectionResponse.author_id == user_id),
        "case_reflections": count(CaseReflection, CaseReflection.author_id == user_id),
        "case_responses": count(CaseResponse, CaseResponse.author_id == user_id),
        "timeline_entries": count(TimelineEntry, TimelineEntry.recorded_by_id == user_id),
        "agenda_items": count(AgendaItem, AgendaItem.raised_by_id == user_id),
        "actions": count(
            Action, db.or_(Action.owner_id == user_id, Action.created_by_id == user_id)
        ),
    }


@pytest.fixture
def material(app, world):
    made = write_everything(app, world)
    # The invitation the person once accepted (a new one cannot be made: they have a password).
    invitation, _ = Invitation.issue(world.staff, world.admin, ttl_hours=72)
    invitation.mark_used()
    db.session.add(invitation)
    db.session.add(PasswordReset.issue(world.staff, ttl_minutes=60)[0])
    db.session.add(ReminderSent(session_id=made.session.id, user_id=world.staff.id))
    db.session.commit()
    return made


@pytest.fixture
def admin(world, client_for):
    return client_for(world.admin)


def erase(admin, user, email=None):
    return admin.post(f"/admin/people/{user.id}/erase", data={"email": email or user.email})


def test_erasing_deletes_every_kind_of_private_material(world, material, admin):
    """Is each private table emptied of the person's rows, and a colleague's left alone?"""
    staff_id = world.staff.id
    before = private_rows(staff_id)
    assert all(before.values()), before  # one of everything, so each count can fall
    colleague_before = private_rows(world.facilitator.id)
    response = erase(admin, world.staff)
    assert response.status_code == 302
    assert private_rows(staff_id) == dict.fromkeys(before, 0)
    assert private_rows(world.facilitator.id) == colleague_before


def test_erasing_keeps_team_records(world, material, admin):
    """Do shared reflections, case writing, responses, agenda items and actions stay?"""
    before = team_rows(world.staff.id)
    assert all(before.values()), before
    erase(admin, world.staff)
    assert team_rows(world.staff.id) == before
    assert db.session.get(Reflection, material.shared.id).body == (
        "STAFF-SHARED reflection, edited"
    )
    # Colleagues' responses on the person's shared reflection are theirs: they stay too.
    assert count(ReflectionResponse, ReflectionResponse.author_id == world.facilitator.id) == 1


def test_account_is_anonymised(world, material, admin):
    """Are the name, email and password gone, the account off and its sessions ended?"""
    version = world.staff.session_version
    erase(admin, world.staff)
    user = db.session.get(User, world.staff.id)
    db.session.refresh(user)
    assert user.display_name == "Former member" == user.public_name
    assert user.email == f"erased-{user.id}@erased.invalid"
    assert user.password_hash is None
    assert not user.is_active
    assert user.erased_at is not None
    assert user.session_version > version
    assert user.memberships == []


def test_erased_person_cannot_log_in_or_keep_a_session(world, material, admin, client_for, client):
    """Is an open session ended, and are the old email and password refused?"""
    open_session = client_for(world.staff)
    assert open_session.get("/account").status_code == 200
    erase(admin, world.staff)
    assert open_session.get("/account").headers["Location"].startswith("/login")
    response = client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_erasure_is_audited_without_personal_data(world, material, admin):
    """Is there one audit entry by the admin, naming no one and quoting nothing?"""
    erase(admin, world.staff)
    (entry,) = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "user.erased")
    ).all()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        world.admin.id,
        "users",
        world.staff.id,
    )
    assert "learning_goals=1" in entry.detail
    for personal in ("Sam", "Staff", "staff@example.org", "STAFF-"):
        assert personal not in entry.detail


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/teams/{north}/reflections", "team reflections"),
        ("/reflections/{shared}", "shared reflection"),
        ("/reflections/{theirs}", "response on a colleague's reflection"),
        ("/cases/{case}", "case reflections"),
        ("/cases/{case}/reflections/{case_reflection}", "case reflection"),
        ("/cases/{case}/reflections/{colleague_case_reflection}", "case response"),
        ("/sessions/{session}", "agenda item and action"),
    ],
)
def test_team_pages_show_former_member(world, material, admin, client_for, path, kind):
    """Does each page that names authors show "Former member" and never the old name?"""
    erase(admin, world.staff)
    url = path.format(
        north=world.north.id,
        shared=material.shared.id,
        theirs=material.theirs.id,
        case=material.case.id,
        case_reflection=material.staff_case_reflection.id,
        colleague_case_reflection=material.colleague_case_reflection.id,
        session=material.session.id,
    )
    response = client_for(world.facilitator).get(url)
    assert response.status_code == 200, kind
    page = response.get_data(as_text=True)
    assert "Former member" in page or "former member" in page, kind
    assert "Sam Staff" not in page, kind


def test_confirmation_page_lists_what_goes_and_what_stays(world, material, admin):
    """Does the page show the counts deleted and kept, before anything happens?"""
    page = admin.get(f"/admin/people/{world.staff.id}/erase").get_data(as_text=True)
    assert "Deleted for good" in page and "Kept for their teams" in page
    assert "Private reflections</td><td>1" in page
    assert "Case reflections</td><td>1" in page
    assert private_rows(world.staff.id)["learning_goals"] == 1


def test_a_wrong_email_erases_nothing(world, material, admin):
    """Is a mistyped confirmation refused beside the field, and nothing deleted?"""
    before = private_rows(world.staff.id)
    response = erase(admin, world.staff, email="someone@example.org")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "someone@example.org" in page
    assert private_rows(world.staff.id) == before
    assert db.session.get(User, world.staff.id).display_name == "Sam Staff"


def test_email_confirmation_ignores_case_and_spaces(world, material, admin):
    """Is " Staff@Example.org " accepted as the person's address?"""
    assert erase(admin, world.staff, email=" Staff@Example.org ").status_code == 302
    assert private_rows(world.staff.id)["learning_goals"] == 0


def test_a_second_erasure_is_refused_clearly(world, material, admin):
    """After an erasure, do the page and the service both say there is nothing more to do?"""
    erase(admin, world.staff)
    user = db.session.get(User, world.staff.id)
    page = admin.get(f"/admin/people/{user.id}/erase").get_data(as_text=True)
    assert "already been erased" in page and '<form method="post" novalidate>' not in page
    response = admin.post(f"/admin/people/{user.id}/erase", data={"email": user.email})
    assert response.status_code == 302
    followed = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "already been erased" in followed
    with pytest.raises(ValueError, match="already been erased"):
        erasure.erase_person(user, world.admin)
    assert count(AuditEntry, AuditEntry.action == "user.erased") == 1


def test_an_admin_cannot_erase_themselves(world, admin):
    """Is erasing your own account refused?"""
    response = erase(admin, world.admin)
    assert response.status_code == 302
    assert db.session.get(User, world.admin.id).erased_at is None


@pytest.mark.parametrize("role", ["staff", "facilitator", "leader", "outsider"])
def test_only_admins_can_erase(world, material, client_for, role):
    """Is everyone but an admin refused, with nothing deleted?"""
    before = private_rows(world.staff.id)
    response = erase(client_for(getattr(world, role)), world.staff)
    assert response.status_code == 403
    assert private_rows(world.staff.id) == before


def test_an_erased_account_cannot_be_reactivated_or_invited(world, material, admin):
    """Are reactivation, a new invitation and a role change refused for an erased account?"""
    erase(admin, world.staff)
    user_id = world.staff.id
    for action in ("reactivate", "invitation"):
        assert admin.post(f"/admin/people/{user_id}/{action}").status_code == 302
    assert admin.post(f"/admin/people/{user_id}/role", data={"role": "admin"}).status_code == 302
    user = db.session.get(User, user_id)
    db.session.refresh(user)
    assert not user.is_active and user.role.value == "staff"
    assert count(Invitation, Invitation.user_id == user_id) == 0


def test_person_page_shows_the_erasure(world, material, admin):
    """Does the admin's person page say the account was erased, and offer no erase link?"""
    assert "erase their data" in admin.get(f"/admin/people/{world.staff.id}").get_data(as_text=True)
    erase(admin, world.staff)
    page = admin.get(f"/admin/people/{world.staff.id}").get_data(as_text=True)
    assert "Erased on" in page
    assert "erase their data" not in page
    listing = admin.get("/admin/?q=former").get_data(as_text=True)
    assert "Former member" in listing and "<td>Erased</td>" in listing
