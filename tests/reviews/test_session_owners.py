"""The session page's owner pickers: the team's members, read only when there is an agenda."""

from learning_hub.core.extensions import db
from tests import factories, querycount


def test_the_session_page_reads_the_members_only_for_an_agenda(client_for, world):
    """An empty agenda has no action forms, so no owner picker: the team's members are not
    read. Once an item is raised, its action form offers each member as owner."""
    client = client_for("facilitator")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    with querycount.counting(db.engine) as statements:
        empty = client.get(f"/sessions/{session.id}")
    assert empty.status_code == 200
    assert not [s for s in statements if "FROM users JOIN memberships" in s]

    item = factories.create_agenda_item(session, world.facilitator)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    picker = page.split(f'name="action{item.id}-owner_id"')[1].split("</select>")[0]
    assert f'value="{world.staff.id}"' in picker and world.staff.display_name in picker
    assert f'value="{world.outsider.id}"' not in picker
