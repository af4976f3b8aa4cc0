"""Learning goals: set by the person, private unless shared."""

from datetime import date, timedelta

from learning_hub.core.extensions import db
from learning_hub.modules.models import GoalStatus, LearningGoal
from tests import factories


def test_set_a_goal_with_principles_modules_and_date(client_for, world):
    """Can a person set a goal tied to principles and modules, with their own date?"""
    client = client_for("staff")
    target = date.today() + timedelta(days=30)
    response = client.post(
        "/learning/goals/new",
        data={
            "description": "Explain every licence condition in the first meeting.",
            "principles": ["transparency", "autonomy"],
            "module_slugs": ["designing-for-autonomy"],
            "target_on": target.isoformat(),
            "share_team_id": 0,
        },
    )
    assert response.status_code == 302
    goal = db.session.scalars(db.select(LearningGoal)).one()
    assert goal.principles == ["transparency", "autonomy"]
    assert goal.module_slugs == ["designing-for-autonomy"]
    assert goal.target_on == target and goal.shared_team_id is None
    page = client.get("/learning").get_data(as_text=True)
    assert "Explain every licence condition" in page and "Designing for autonomy" in page


def test_goal_form_refuses_bad_input_and_keeps_it(client_for, world):
    """Are an empty goal and a past date refused, with what was typed kept?"""
    client = client_for("staff")
    response = client.post(
        "/learning/goals/new",
        data={
            "description": "",
            "target_on": "2001-01-01",
            "principles": ["autonomy"],
            "share_team_id": 0,
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Describe the goal in a sentence or two" in page
    assert "Choose a target date from today onwards" in page
    assert 'value="2001-01-01"' in page
    assert (
        'value="autonomy" checked' in page
        or 'checked value="autonomy"' in page
        or ('value="autonomy"' in page and "checked" in page)
    )
    bad = client.post(
        "/learning/goals/new",
        data={"description": "Fine", "principles": ["bogus"], "share_team_id": 0},
    )
    assert bad.status_code == 400
    assert db.session.scalar(db.select(db.func.count(LearningGoal.id))) == 0


def test_goal_shared_with_team_appears_for_teammates_only(world, client_for):
    """Does a shared goal appear on the team page for teammates, and never for outsiders?"""
    factories.create_goal(
        world.staff, description="Try texts before letters.", share_team=world.north
    )
    factories.create_goal(world.staff, description="A private aim.")
    page = client_for(world.facilitator).get(f"/teams/{world.north.id}/reflections")
    assert b"Try texts before letters." in page.data and b"A private aim." not in page.data
    assert client_for(world.outsider).get(f"/teams/{world.north.id}/reflections").status_code == 404


def test_goal_status_and_delete(client_for, world):
    """Can the owner mark a goal achieved and delete it, and nobody else can?"""
    client = client_for("staff")
    goal = factories.create_goal(world.staff, share_team=world.north)
    assert (
        client_for(world.facilitator)
        .post(f"/learning/goals/{goal.id}/status", data={"status": "achieved"})
        .status_code
        == 403
    )
    client.post(f"/learning/goals/{goal.id}/status", data={"status": "achieved"})
    db.session.refresh(goal)
    assert goal.status == GoalStatus.ACHIEVED and goal.achieved_at is not None
    client.post(f"/learning/goals/{goal.id}/status", data={"status": "nonsense"})
    db.session.refresh(goal)
    assert goal.status == GoalStatus.ACHIEVED
    assert client_for(world.outsider).post(f"/learning/goals/{goal.id}/delete").status_code == 404
    assert client.post(f"/learning/goals/{goal.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(LearningGoal.id))) == 0


def test_edit_goal(client_for, world):
    """Can the owner change the goal's wording?"""
    client = client_for("staff")
    goal = factories.create_goal(world.staff)
    response = client.post(
        f"/learning/goals/{goal.id}/edit",
        data={"description": "Offer three times, not two.", "share_team_id": 0},
    )
    assert response.status_code == 302
    db.session.refresh(goal)
    assert goal.description == "Offer three times, not two."
