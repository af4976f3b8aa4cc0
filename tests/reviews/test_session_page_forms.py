"""The session page's per-item forms: notes as saved, owners as the team is now."""

import re

import pytest

from tests import factories


def test_a_session_page_shows_saved_notes_and_new_members_at_once(world, client_for):
    """After notes are saved and someone joins the team, does the next view show both?"""
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    facilitator = client_for(world.facilitator)
    url = f"/sessions/{session.id}"
    assert facilitator.get(url).status_code == 200
    prefix = f"item{item.id}-"
    saved = facilitator.post(
        f"{url}/agenda/{item.id}/notes",
        data={
            prefix + "notes": "Texts before letters.",
            prefix + "decisions": "",
            prefix + "version": "1",
        },
    )
    assert saved.status_code == 302
    newcomer = factories.create_user(
        email="newcomer@example.org", name="Nia Newcomer", teams={world.north: "member"}
    )
    html = facilitator.get(url).get_data(as_text=True)
    assert ">\r\nTexts before letters.</textarea>" in html
    assert f'name="{prefix}version" type="hidden" value="2"' in html
    assert f'<option value="{newcomer.id}">Nia Newcomer</option>' in html


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_an_action_form_posts_with_its_prefixed_tokens(app_config, world, client_for):
    """Does an item's action form carry tokens named with its prefix, and save once with them?"""
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    facilitator = client_for(world.facilitator)
    url = f"/sessions/{session.id}"
    html = facilitator.get(url).get_data(as_text=True)
    action = f"{url}/agenda/{item.id}/actions"
    form = html[html.index(f'action="{action}"') :]
    prefix = f"action{item.id}-"
    csrf = re.search(rf'name="{prefix}csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    token = re.search(
        rf'name="{prefix}submission_token" type="hidden" value="([0-9a-f]{{32}})"', form
    )
    data = {
        prefix + "csrf_token": csrf,
        prefix + "submission_token": token.group(1),
        prefix + "description": "Reword the appointment letter",
        prefix + "owner_id": str(world.staff.id),
    }
    assert facilitator.post(action, data=data).status_code == 302
    again = facilitator.post(action, data=data)
    assert "already saved" in facilitator.get(again.location).get_data(as_text=True)
    page = facilitator.get(url).get_data(as_text=True)
    assert page.count("Reword the appointment letter") == 1
