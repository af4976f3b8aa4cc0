"""The home page's "Your actions": the most urgent few, and how many more there are."""

from datetime import date

from learning_hub.core.extensions import db
from learning_hub.reviews import services as reviews
from tests import factories


def test_home_lists_the_most_urgent_actions_and_counts_the_rest(client_for, world):
    """Are the five soonest-due open actions shown, undated last, with the rest counted
    and a way to each team's full list?"""
    client = client_for("staff")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    for n in range(6):
        action = factories.create_action(session, world.facilitator, world.staff, f"Dated {n}")
        action.due_on = date(2026, 1, 10 - n)
    factories.create_action(session, world.facilitator, world.staff, "Undated follow-up")
    done = factories.create_action(session, world.facilitator, world.staff, "Already done")
    done.mark_done("Sorted on the phone.")
    db.session.commit()
    factories.create_action(session, world.facilitator, world.facilitator, "Someone else's")

    rows, total = reviews.open_actions_for(world.staff)
    assert [row.description for row in rows] == [f"Dated {n}" for n in (5, 4, 3, 2, 1)]
    assert total == 7

    page = client.get("/").get_data(as_text=True)
    assert "Dated 1" in page and "Dated 0" not in page and "Undated follow-up" not in page
    assert "2 more open actions, due later or undated" in page
    assert f'href="/teams/{world.north.id}/actions"' in page


def test_home_says_nothing_more_when_every_action_is_shown(client_for, world):
    """With five actions or fewer, is there no "more" line?"""
    client = client_for("staff")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    factories.create_action(session, world.facilitator, world.staff, "Ring the housing officer")
    assert reviews.open_actions_for(world.staff)[1] == 1
    page = client.get("/").get_data(as_text=True)
    assert "Ring the housing officer" in page and "more open action" not in page
    assert reviews.open_actions_for(world.outsider) == ([], 0)
