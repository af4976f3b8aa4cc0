"""Leaving a team, or being deactivated, ends what the team gave the person."""

import re

import pytest

from learning_hub.auth.models import Membership, MembershipRole
from learning_hub.cases import services as cases
from learning_hub.core.extensions import db
from learning_hub.modules import services as modules
from tests import factories

FEED_URL = re.compile(r'<code class="feed-url">https?://[^/]+(/calendar/[^<]+\.ics)</code>')


def feed_path(client, page):
    """The calendar feed address ``page`` shows to the person logged in on ``client``."""
    return FEED_URL.search(client.get(page).get_data(as_text=True)).group(1)


def leave(admin_client, team, user):
    response = admin_client.post(f"/admin/teams/{team.id}/members/{user.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()


def deactivate(admin_client, user):
    response = admin_client.post(f"/admin/people/{user.id}/deactivate")
    assert response.status_code == 302
    db.session.expire_all()
    assert not user.is_active


@pytest.fixture
def shared_check(app, world):
    return factories.create_selfcheck(app, world.staff, share_team=world.north)


def test_leaving_a_team_withdraws_the_results_shared_with_its_facilitators(
    world, client_for, shared_check
):
    """After I leave a team, can its facilitator no longer open the result I shared, and
    do I see it as no longer shared?"""
    staff_client = client_for("staff")
    facilitator_client = client_for("facilitator")
    admin_client = client_for("admin")
    url = f"/selfcheck/{shared_check.id}"
    assert facilitator_client.get(url).status_code == 200
    assert "Shared with the facilitators of" in staff_client.get(url).get_data(as_text=True)
    team_page = f"/teams/{world.north.id}/fidelity"
    assert world.staff.display_name in facilitator_client.get(team_page).get_data(as_text=True)

    leave(admin_client, world.north, world.staff)

    assert facilitator_client.get(url).status_code == 404
    assert world.staff.display_name not in facilitator_client.get(team_page).get_data(as_text=True)
    mine = staff_client.get(url)
    assert mine.status_code == 200
    assert "Shared with the facilitators of" not in mine.get_data(as_text=True)
    profile = staff_client.get("/selfcheck").get_data(as_text=True)
    assert world.north.name not in profile


def test_rejoining_does_not_share_the_result_again(world, client_for, shared_check):
    """If I leave a team and am added back, does my old share stay withdrawn?"""
    facilitator_client = client_for("facilitator")
    admin_client = client_for("admin")
    leave(admin_client, world.north, world.staff)
    db.session.add(Membership(team=world.north, user=world.staff, role=MembershipRole.MEMBER))
    db.session.commit()
    assert facilitator_client.get(f"/selfcheck/{shared_check.id}").status_code == 404


def test_deactivation_withdraws_every_shared_result(world, client_for, shared_check):
    """When I am deactivated, can a facilitator no longer open what I had shared?"""
    facilitator_client = client_for("facilitator")
    admin_client = client_for("admin")
    assert facilitator_client.get(f"/selfcheck/{shared_check.id}").status_code == 200
    deactivate(admin_client, world.staff)
    assert facilitator_client.get(f"/selfcheck/{shared_check.id}").status_code == 404


def test_each_member_has_their_own_team_feed_which_ends_when_they_leave(world, client, client_for):
    """Is my team feed address mine alone, and does it stop working (404) when I leave
    the team, while my teammates' keep working?"""
    staff_client = client_for("staff")
    facilitator_client = client_for("facilitator")
    admin_client = client_for("admin")
    factories.create_review(world.north, world.facilitator, title="North meets")
    page = f"/teams/{world.north.id}/sessions"
    mine, theirs = feed_path(staff_client, page), feed_path(facilitator_client, page)
    assert mine != theirs
    assert b"North meets" in client.get(mine).data
    assert client.get(theirs).status_code == 200

    leave(admin_client, world.north, world.staff)

    assert client.get(mine).status_code == 404
    assert b"North meets" in client.get(theirs).data


def test_a_removed_members_personal_feed_no_longer_shows_the_team(world, client, client_for):
    """After I leave a team, does my own feed keep working without that team's sessions?"""
    staff_client = client_for("staff")
    admin_client = client_for("admin")
    factories.create_review(world.north, world.facilitator, title="North meets")
    personal = feed_path(staff_client, "/account")
    assert b"North meets" in client.get(personal).data
    leave(admin_client, world.north, world.staff)
    response = client.get(personal)
    assert response.status_code == 200 and b"North meets" not in response.data


def test_deactivation_ends_the_persons_team_and_personal_feeds(world, client, client_for):
    """When I am deactivated, do my team feed and my own feed both answer 404, and stay
    so if I am reactivated?"""
    staff_client = client_for("staff")
    admin_client = client_for("admin")
    factories.create_review(world.north, world.facilitator)
    team_feed = feed_path(staff_client, f"/teams/{world.north.id}/sessions")
    personal = feed_path(staff_client, "/account")
    assert client.get(team_feed).status_code == 200
    assert client.get(personal).status_code == 200

    deactivate(admin_client, world.staff)
    assert client.get(team_feed).status_code == 404
    assert client.get(personal).status_code == 404

    admin_client.post(f"/admin/people/{world.staff.id}/reactivate")
    assert client.get(team_feed).status_code == 404
    assert client.get(personal).status_code == 404


def test_a_removed_members_home_no_longer_lists_the_old_teams_actions_or_responses(
    app, world, client_for
):
    """After I leave a team, does my home page stop listing its actions and the
    responses its members wrote to my reflections, and keep my other team's?"""
    staff_client = client_for("staff")
    admin_client = client_for("admin")
    db.session.add(Membership(team=world.south, user=world.staff, role=MembershipRole.MEMBER))
    db.session.commit()
    module = next(iter(app.extensions["content"].library))
    north_session = factories.create_review(world.north, world.facilitator).sessions[0]
    south_session = factories.create_review(world.south, world.outsider).sessions[0]
    factories.create_action(north_session, world.facilitator, world.staff, "Ring the GP back")
    factories.create_action(south_session, world.outsider, world.staff, "Book the room")
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    modules.respond(reflection, world.facilitator, "That rings true.")
    case = factories.create_case(world.north, world.staff)
    case_reflection = factories.create_case_reflection(case, world.staff)
    cases.respond(case_reflection, world.facilitator, "Worth trying texts.")
    db.session.commit()

    home = staff_client.get("/").get_data(as_text=True)
    assert "Ring the GP back" in home and "Book the room" in home
    assert f"/reflections/{reflection.id}#response-" in home
    assert f"to your reflection on case {case.code}" in home

    leave(admin_client, world.north, world.staff)

    home = staff_client.get("/").get_data(as_text=True)
    assert "Ring the GP back" not in home
    assert "Book the room" in home
    assert f"/reflections/{reflection.id}#response-" not in home
    assert f"to your reflection on case {case.code}" not in home
