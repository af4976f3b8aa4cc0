"""The session page and its summary read the same statements however long the agenda is."""

import pytest

from learning_hub.core.extensions import db
from tests import factories, querycount


def _statements(client, url):
    client.get(url)  # warm: first-use writes are not the page's cost
    with querycount.counting(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("page", ["", "/summary"])
def test_a_longer_agenda_costs_no_more_statements(app, client_for, world, page):
    """With more items, cases, reflections and actions on the agenda, does the session page
    (or its summary) issue any more statements? An item's links loaded one by one would."""
    client = client_for("staff")
    module = next(iter(app.extensions["content"].library))
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    url = f"/sessions/{session.id}{page}"

    def add_items():
        case = factories.create_case(world.north, world.staff)
        factories.create_agenda_item(session, world.staff, kind="case", title="A", case=case)
        reflection = factories.create_reflection(
            world.facilitator, module, body="Tried.", share_team=world.north
        )
        item = factories.create_agenda_item(
            session, world.facilitator, kind="shared-reflection", title="B", reflection=reflection
        )
        action = factories.create_action(session, world.facilitator, world.staff)
        action.item_id = item.id
        db.session.commit()

    add_items()
    few = _statements(client, url)
    for _ in range(3):
        add_items()
    assert _statements(client, url) == few
