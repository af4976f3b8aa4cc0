"""A page that only reads sees the logged-in person as plain values; a write loads the User."""

import pytest
from flask_login import current_user

from learning_hub.access import teams_for
from learning_hub.auth.models import Membership, MembershipRole, User
from learning_hub.auth.sessions import Viewer, _viewer
from learning_hub.database import writes_on_get
from learning_hub.extensions import db
from tests import querycount


def _who():
    person = current_user._get_current_object()
    return f"{type(person).__name__}:{person.id}"


def test_a_page_that_only_reads_gets_a_viewer_from_one_statement(app, staff_client, world):
    """Does a read-only GET load the person as a Viewer, in a single statement?"""
    app.add_url_rule("/_test/who", "test_who", _who)
    staff_id = world.staff.id
    db.session.remove()
    with querycount.counting(db.engine) as statements:
        response = staff_client.get("/_test/who")
    assert response.get_data(as_text=True) == f"Viewer:{staff_id}"
    # (the other statement a request may send asks whether the content was reloaded)
    assert len([s for s in statements if "users" in s]) == 1 and "FROM users" in statements[0]


def test_a_request_that_may_write_loads_the_user_itself(app, staff_client, world):
    """Do a POST and a GET marked as writing get the ORM User, which they may change?"""
    app.add_url_rule("/_test/who", "test_who_post", _who, methods=["POST"])
    app.add_url_rule("/_test/who-writing", "test_who_writing", writes_on_get(_who))
    staff_id = world.staff.id
    db.session.remove()
    assert staff_client.post("/_test/who").get_data(as_text=True) == f"User:{staff_id}"
    assert staff_client.get("/_test/who-writing").get_data(as_text=True) == f"User:{staff_id}"


@pytest.mark.parametrize("who", ["staff", "facilitator", "leader", "admin", "outsider"])
def test_a_viewer_answers_every_question_as_the_user_does(app, world, who):
    """Are a Viewer's columns, roles, teams and memberships those of the same User?"""
    user = getattr(world, who)
    if who == "staff":
        db.session.add(Membership(user=user, team=world.south, role=MembershipRole.FACILITATOR))
    db.session.commit()
    viewer = _viewer(user.id)
    assert isinstance(viewer, Viewer)
    for column in User.__table__.columns:
        assert getattr(viewer, column.key) == getattr(user, column.key), column.key
    assert viewer.get_id() == user.get_id()
    assert viewer.is_authenticated and not viewer.is_anonymous
    assert (viewer.is_admin, viewer.is_leader) == (user.is_admin, user.is_leader)
    assert (viewer.public_name, viewer.has_password) == (user.public_name, user.has_password)
    assert viewer.team_ids() == user.team_ids()
    assert viewer.facilitated_team_ids() == user.facilitated_team_ids()
    for team in (world.north, world.south):
        mine, theirs = viewer.membership_in(team.id), user.membership_in(team.id)
        assert (mine and (mine.role, mine.is_facilitator, mine.team.name)) == (
            theirs and (theirs.role, theirs.is_facilitator, theirs.team.name)
        )
        assert team.can_view(viewer) == team.can_view(user)
        assert team.can_facilitate(viewer) == team.can_facilitate(user)
    assert [t.id for t in teams_for(viewer)] == [t.id for t in teams_for(user)]


def test_an_erased_person_is_shown_as_a_former_member(app, world):
    """Does a Viewer of an erased row give the same public name as the User would?"""
    from learning_hub.database import utcnow

    world.staff.erased_at = utcnow()
    db.session.commit()
    assert _viewer(world.staff.id).public_name == world.staff.public_name == "Former member"


def test_no_viewer_for_a_person_who_is_not_there(app):
    assert _viewer(999_999) is None


def test_a_read_refuses_a_session_of_an_older_version(staff_client, world):
    """After a log-out everywhere, does a read-only page stop accepting the old cookie?"""
    assert staff_client.get("/").status_code == 200
    world.staff.end_sessions()
    db.session.commit()
    response = staff_client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_read_refuses_a_deactivated_person(staff_client, world):
    assert staff_client.get("/").status_code == 200
    world.staff.is_active = False
    db.session.commit()
    assert staff_client.get("/").status_code == 302


def test_a_refusal_on_a_read_names_the_viewer_in_the_security_log(staff_client, world, caplog):
    """Does a 404 for another team's page still log who asked, from the Viewer?"""
    staff_id, south_id = world.staff.id, world.south.id
    db.session.remove()
    with caplog.at_level("INFO", logger="learning_hub.security"):
        assert staff_client.get(f"/teams/{south_id}/cases").status_code == 404
    refusals = [
        r for r in caplog.records if getattr(r, "fields", {}).get("event") == "access.refused"
    ]
    assert refusals and refusals[-1].fields["user_id"] == staff_id
