"""Long lists come in pages: responses, case reflections and their responses."""

import pytest

from learning_hub.extensions import db
from tests import factories


@pytest.fixture
def module(app):
    return app.extensions["content"].library.get("noticing-your-own-reactions")


def test_responses_to_a_reflection_come_in_pages_and_a_new_one_lands_on_the_last(
    staff_client, world, login, module
):
    """With 25 responses, is page 1 twenty long, page 2 five, and a new one on page 2?"""
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    facilitator = login(world.facilitator)
    for n in range(25):
        facilitator.post(
            f"/reflections/{reflection.id}/responses", data={"body": f"Response number {n:02d}."}
        )
    first = staff_client.get(f"/reflections/{reflection.id}").get_data(as_text=True)
    second = staff_client.get(f"/reflections/{reflection.id}?page=2").get_data(as_text=True)
    assert first.count('class="response"') == 20 and "Page 1 of 2" in first
    assert "Response number 00." in first and "Response number 24." not in first
    assert second.count('class="response"') == 5 and "Response number 24." in second
    answer = facilitator.post(f"/reflections/{reflection.id}/responses", data={"body": "One more."})
    assert "page=2" in answer.headers["Location"]


def test_case_reflections_and_their_responses_come_in_pages(world, login):
    """Does the case page show ten reflections a page, newest first, with response counts?"""
    case = factories.create_case(world.north, world.staff)
    reflections = [
        factories.create_case_reflection(case, world.staff, identify=f"Reflection {n:02d} here.")
        for n in range(12)
    ]
    client = login(world.facilitator)
    for n in range(21):
        client.post(
            f"/cases/{case.id}/reflections/{reflections[-1].id}",
            data={"body": f"Case response {n:02d}."},
        )
    db.session.commit()
    first = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Reflection 11 here." in first and "Reflection 01 here." not in first
    assert "and 21 responses" in first and "Page 1 of 2" in first
    second = client.get(f"/cases/{case.id}?page=2").get_data(as_text=True)
    assert "Reflection 01 here." in second and "Reflection 00 here." in second
    page = client.get(f"/cases/{case.id}/reflections/{reflections[-1].id}?page=2")
    body = page.get_data(as_text=True)
    assert body.count('class="response"') == 1 and "Case response 20." in body


def test_a_long_timeline_shows_a_page_of_entries_and_the_whole_chart(staff_client, world):
    """With 30 entries, does the table show the newest 25, page 2 the oldest 5, the chart all?"""
    from datetime import date, timedelta

    start = date(2025, 1, 6)
    entries = [
        {
            "occurred_on": start + timedelta(days=7 * n),
            "outcome": "attended",
            "note": f"Visit {n:02d}",
        }
        for n in range(30)
    ]
    case = factories.create_case(world.north, world.staff, entries=entries)
    first = staff_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Visit 29" in first and "Visit 05" in first and "Visit 04" not in first
    assert "30 entries" in first, "the chart's summary counts every entry"
    assert f"/cases/{case.id}?entries_page=2#timeline-heading" in first
    second = staff_client.get(f"/cases/{case.id}?entries_page=2").get_data(as_text=True)
    assert "Visit 04" in second and "Visit 00" in second and "Visit 05" not in second
    beyond = staff_client.get(f"/cases/{case.id}?entries_page=99").get_data(as_text=True)
    assert "Visit 00" in beyond, "a page past the end shows the last page"


def test_self_check_history_comes_in_pages(staff_client, app, world):
    """With 14 self-checks, does the profile list twelve, and page 2 the oldest two?"""
    checks = [factories.create_selfcheck(app, world.staff) for _ in range(14)]
    db.session.commit()
    first = staff_client.get("/selfcheck").get_data(as_text=True)
    second = staff_client.get("/selfcheck?page=2").get_data(as_text=True)
    link = f'href="/selfcheck/{checks[0].id}"'
    assert first.count('<li><a href="/selfcheck/') == 12 and link not in first
    assert "Page 1 of 2" in first
    assert second.count('<li><a href="/selfcheck/') == 2 and link in second


def test_case_list_pages_by_statement_built_once(staff_client, world):
    """Does the team's case list page 25 at a time, filter, and show nothing past the end?"""
    cases = [factories.create_case(world.north, world.staff) for _ in range(27)]
    factories.create_case(world.south, world.outsider)
    first = staff_client.get(f"/teams/{world.north.id}/cases").get_data(as_text=True)
    second = staff_client.get(f"/teams/{world.north.id}/cases?page=2").get_data(as_text=True)
    past = staff_client.get(f"/teams/{world.north.id}/cases?page=9").get_data(as_text=True)
    listed = lambda page: sum(f'href="/cases/{c.id}"' in page for c in cases)  # noqa: E731
    assert (listed(first), listed(second), listed(past)) == (25, 2, 0)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    closed = staff_client.get(f"/teams/{world.north.id}/cases?status=closed")
    assert listed(closed.get_data(as_text=True)) == 0


def test_statement_page_counts_with_its_own_parameters(app, world, module):
    """Do two people's pages of one shared statement count only their own rows?"""
    from learning_hub.modules import services

    for n in range(3):
        factories.create_reflection(world.staff, module, body=f"Mine {n}.")
    factories.create_reflection(world.facilitator, module, body="Theirs.")
    with app.test_request_context("/learning?page=1"):
        mine = services.my_reflections_page(world.staff, per_page=2)
        theirs = services.my_reflections_page(world.facilitator, per_page=2)
        filtered = services.my_reflections_page(world.staff, "no-such-module", per_page=2)
    assert (mine.total, mine.pages, len(mine.items), mine.has_next) == (3, 2, 2, True)
    assert (theirs.total, len(theirs.items)) == (1, 1)
    assert filtered.total == 0 and filtered.items == []
