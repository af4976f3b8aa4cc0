"""Long lists come in pages: responses, case reflections and their responses."""

import pytest

from learning_hub.core.extensions import db
from tests import factories


@pytest.fixture
def module(app):
    return app.extensions["content"].library.get("noticing-your-own-reactions")


def test_responses_to_a_reflection_come_in_pages_and_a_new_one_lands_on_the_last(
    client_for, world, module
):
    """With 25 responses, is page 1 twenty long, page 2 five, and a new one on page 2?"""
    client = client_for("staff")
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    facilitator = client_for(world.facilitator)
    for n in range(25):
        facilitator.post(
            f"/reflections/{reflection.id}/responses", data={"body": f"Response number {n:02d}."}
        )
    first = client.get(f"/reflections/{reflection.id}").get_data(as_text=True)
    second = client.get(f"/reflections/{reflection.id}?page=2").get_data(as_text=True)
    assert first.count('class="response"') == 20 and "Page 1 of 2" in first
    assert "Response number 00." in first and "Response number 24." not in first
    assert second.count('class="response"') == 5 and "Response number 24." in second
    answer = facilitator.post(f"/reflections/{reflection.id}/responses", data={"body": "One more."})
    assert "page=2" in answer.headers["Location"]


def test_case_reflections_and_their_responses_come_in_pages(world, client_for):
    """Does the case page show ten reflections a page, newest first, with response counts?"""
    case = factories.create_case(world.north, world.staff)
    reflections = [
        factories.create_case_reflection(case, world.staff, identify=f"Reflection {n:02d} here.")
        for n in range(12)
    ]
    client = client_for(world.facilitator)
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


def test_a_long_timeline_shows_a_page_of_entries_and_the_whole_chart(client_for, world):
    """With 30 entries, does the table show the newest 25, page 2 the oldest 5, the chart all?"""
    client = client_for("staff")
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
    first = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Visit 29" in first and "Visit 05" in first and "Visit 04" not in first
    assert "30 entries" in first, "the chart's summary counts every entry"
    assert f"/cases/{case.id}?entries_page=2#timeline-heading" in first
    second = client.get(f"/cases/{case.id}?entries_page=2").get_data(as_text=True)
    assert "Visit 04" in second and "Visit 00" in second and "Visit 05" not in second
    beyond = client.get(f"/cases/{case.id}?entries_page=99").get_data(as_text=True)
    assert "Visit 00" in beyond, "a page past the end shows the last page"


def test_self_check_history_comes_in_pages(client_for, app, world):
    """With 14 self-checks, does the profile list twelve, and page 2 the oldest two?"""
    client = client_for("staff")
    checks = [factories.create_selfcheck(app, world.staff) for _ in range(14)]
    db.session.commit()
    first = client.get("/selfcheck").get_data(as_text=True)
    second = client.get("/selfcheck?page=2").get_data(as_text=True)
    link = f'href="/selfcheck/{checks[0].id}"'
    assert first.count('<li><a href="/selfcheck/') == 12 and link not in first
    assert "Page 1 of 2" in first
    assert second.count('<li><a href="/selfcheck/') == 2 and link in second


def test_case_list_comes_in_pages_filtered_and_empty_past_the_end(client_for, world):
    """Does the team's case list page 25 at a time, filter, and show nothing past the end?"""
    client = client_for("staff")
    cases = [factories.create_case(world.north, world.staff) for _ in range(27)]
    factories.create_case(world.south, world.outsider)
    first = client.get(f"/teams/{world.north.id}/cases").get_data(as_text=True)
    second = client.get(f"/teams/{world.north.id}/cases?page=2").get_data(as_text=True)
    past = client.get(f"/teams/{world.north.id}/cases?page=9").get_data(as_text=True)
    listed = lambda page: sum(f'href="/cases/{c.id}"' in page for c in cases)  # noqa: E731
    assert (listed(first), listed(second), listed(past)) == (25, 2, 0)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    closed = client.get(f"/teams/{world.north.id}/cases?status=closed")
    assert listed(closed.get_data(as_text=True)) == 0


def test_my_learning_pages_only_the_persons_own_reflections(client_for, world, module):
    """With 22 of mine and one of a colleague's, is page 1 twenty with Next, page 2 my other
    two with Previous, and a page past the end empty with its way back?"""
    client = client_for("staff")
    for n in range(22):
        factories.create_reflection(world.staff, module, body=f"Mine number {n:02d}.")
    factories.create_reflection(world.facilitator, module, body="Theirs, not mine.")
    first = client.get("/learning").get_data(as_text=True)
    second = client.get("/learning?page=2").get_data(as_text=True)
    past = client.get("/learning?page=9").get_data(as_text=True)
    assert first.count("Mine number") == 20 and "Mine number 21." in first
    assert "Page 1 of 2" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert second.count("Mine number") == 2 and "Mine number 00." in second
    assert "Page 2 of 2" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert "Mine number" not in past and "Page 9 of 2" in past and 'rel="prev"' in past
    assert "Theirs, not mine." not in first + second + past
    filtered = client.get("/learning?module=no-such-module").get_data(as_text=True)
    assert filtered.count("Mine number") == 20, "an unknown module filters nothing out"


@pytest.mark.parametrize(("shared", "pages"), [(20, None), (21, "Page 1 of 2")])
def test_a_list_that_fills_one_page_has_no_second(client_for, world, module, shared, pages):
    """Does a team's list of exactly one page show no pager, and one more item a second page?"""
    client = client_for("staff")
    for n in range(shared):
        factories.create_reflection(
            world.facilitator, module, body=f"Shared number {n:02d}.", share_team=world.north
        )
    html = client.get(f"/teams/{world.north.id}/reflections").get_data(as_text=True)
    assert html.count('class="card shared-reflection"') == 20
    assert ('class="pager"' in html) == (pages is not None)
    if pages:
        assert pages in html
        second = client.get(f"/teams/{world.north.id}/reflections?page=2")
        assert second.get_data(as_text=True).count('class="card shared-reflection"') == 1


def test_a_listing_built_once_pages_each_persons_rows_with_its_own_total(world, module):
    """A module-level Listing is one pair of statements for every request: do its page
    and count follow the bound parameters of each call, and is a page past the end
    empty with the total kept?"""
    from learning_hub.core.pagination import Listing, paginate
    from learning_hub.modules.models import Reflection

    for n in range(3):
        factories.create_reflection(world.staff, module, body=f"Staff note {n}")
    factories.create_reflection(world.facilitator, module, body="Another person's note")
    mine = Listing(
        db.select(Reflection.body)
        .where(Reflection.author_id == db.bindparam("user_id"))
        .order_by(Reflection.id)
    )
    first = paginate(mine, 1, 2, params={"user_id": world.staff.id}, rows=True)
    second = paginate(mine, 2, 2, params={"user_id": world.staff.id}, rows=True)
    other = paginate(mine, 1, 2, params={"user_id": world.facilitator.id}, rows=True)
    beyond = paginate(mine, 9, 2, params={"user_id": world.staff.id}, rows=True)
    assert [row.body for row in first] == ["Staff note 0", "Staff note 1"]
    assert [row.body for row in second] == ["Staff note 2"]
    assert (first.total, second.total, first.pages) == (3, 3, 2)
    assert ([row.body for row in other], other.total) == (["Another person's note"], 1)
    assert (beyond.items, beyond.page, beyond.total) == ([], 9, 3)
