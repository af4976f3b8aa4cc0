"""List fragments drawn once for the rows they show (``memo.fragment``), and never stale."""

from collections import namedtuple
from datetime import UTC, datetime

import pytest

from learning_hub import memo
from learning_hub.cases.models import Gender
from learning_hub.extensions import db
from tests import factories


@pytest.fixture(autouse=True)
def empty_fragments():
    memo.fragment.cache_clear()
    yield
    memo.fragment.cache_clear()


@pytest.fixture
def drawn(app, monkeypatch):
    """Count the fragments actually drawn (rather than taken from the memo)."""
    calls = []
    real = memo._draw

    def counting(template, macro, args):
        calls.append((template, macro))
        return real(template, macro, args)

    monkeypatch.setattr(memo, "_draw", counting)
    return calls


# The columns the case list reads, as a hashable row with fields by name.
CaseRow = namedtuple(
    "CaseRow",
    "id code is_closed gender age_band pattern_confirmed pattern_suggested in_spell updated_at",
)


def rows_of(*specs):
    """Case rows from (id, code, closed), the other columns fixed."""
    updated = datetime(2026, 5, 1, tzinfo=UTC)
    return tuple(
        CaseRow(case_id, code, closed, Gender.FEMALE, None, None, None, False, updated)
        for case_id, code, closed in specs
    )


def test_the_same_rows_are_drawn_once(app, drawn):
    """Are the same rows drawn once, then answered from the memo with the same HTML?"""
    rows = rows_of((1, "AB12CD", False), (2, "EF34GH", True))
    with app.test_request_context("/"):
        first = memo.fragment(rows, "cases/_list.html", "case_rows", rows)
        same = rows_of((1, "AB12CD", False), (2, "EF34GH", True))
        again = memo.fragment(same, "cases/_list.html", "case_rows", same)
    assert first == again and "AB12CD" in first and "Closed" in first
    assert len(drawn) == 1


def test_a_changed_row_is_drawn_afresh(app, drawn):
    """Does any change to a value shown (here a case closed) draw the fragment again?"""
    open_rows = rows_of((1, "AB12CD", False))
    closed_rows = rows_of((1, "AB12CD", True))
    with app.test_request_context("/"):
        before = memo.fragment(open_rows, "cases/_list.html", "case_rows", open_rows)
        after = memo.fragment(closed_rows, "cases/_list.html", "case_rows", closed_rows)
    assert "Closed" not in before and "Closed" in after
    assert len(drawn) == 2


def test_links_follow_the_script_root(app):
    """Is a fragment drawn under one mount point never served under another?"""
    rows = rows_of((7, "ZZ99YY", False))
    with app.test_request_context("/"):
        plain = memo.fragment(rows, "cases/_list.html", "case_rows", rows)
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": "/hub"}):
        mounted = memo.fragment(rows, "cases/_list.html", "case_rows", rows)
    assert 'href="/cases/7"' in plain and 'href="/hub/cases/7"' in mounted


def test_unhashable_keys_are_drawn_every_time(app, drawn):
    """A key holding a list cannot be remembered: is it drawn each time rather than failing?"""
    rows = rows_of((1, "AB12CD", False))
    with app.test_request_context("/"):
        for _ in range(2):
            assert "AB12CD" in memo.fragment([list(rows)], "cases/_list.html", "case_rows", rows)
    assert len(drawn) == 2
    assert memo.frozen([(1, ["worry", "hope"])]) == ((1, ("worry", "hope")),)


def test_the_memo_keeps_at_most_its_limit(app, drawn):
    """Past FRAGMENT_MEMO_ENTRIES, is the fragment used longest ago forgotten?"""
    app.config["FRAGMENT_MEMO_ENTRIES"] = 2
    sets = [rows_of((n, f"CODE{n:02d}", False)) for n in range(3)]
    with app.test_request_context("/"):
        for rows in sets:
            memo.fragment(rows, "cases/_list.html", "case_rows", rows)
        memo.fragment(sets[2], "cases/_list.html", "case_rows", sets[2])  # kept
        memo.fragment(sets[0], "cases/_list.html", "case_rows", sets[0])  # forgotten: drawn
    assert len(drawn) == 4
    assert len(memo._fragments) == 2


def test_zero_turns_it_off(app, drawn):
    app.config["FRAGMENT_MEMO_ENTRIES"] = 0
    rows = rows_of((1, "AB12CD", False))
    with app.test_request_context("/"):
        memo.fragment(rows, "cases/_list.html", "case_rows", rows)
        memo.fragment(rows, "cases/_list.html", "case_rows", rows)
    assert len(drawn) == 2 and not memo._fragments


def test_case_list_shows_a_change_at_once(staff_client, world, drawn):
    """Viewed, changed, viewed again: does the case list show the change straight away?"""
    case = factories.create_case(world.north, world.staff)
    url = f"/teams/{world.north.id}/cases?status=all"
    staff_client.get(url)
    staff_client.get(url)
    assert drawn.count(("cases/_list.html", "case_rows")) == 1
    case.close()
    db.session.commit()
    page = staff_client.get(url).get_data(as_text=True)
    assert "Closed</span>" in page
    assert drawn.count(("cases/_list.html", "case_rows")) == 2


def test_case_page_reflections_show_a_new_response_count(staff_client, world, drawn):
    """Does the case page's list of reflections show a new response on the next view?"""
    from learning_hub.cases import services

    case = factories.create_case(world.north, world.staff)
    reflection = factories.create_case_reflection(case, world.staff)
    before = staff_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Read the analysis and plan</a>" in before
    services.respond(reflection, world.facilitator, "Could the letter go by text first?")
    db.session.commit()
    after = staff_client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Read the analysis and plan, and 1 response</a>" in after
    assert "Stirs: frustration" in after


def test_my_learning_shows_a_reflection_made_private(staff_client, world, app):
    """Does 'My learning' show at once that a shared reflection was made private?"""
    module = next(iter(app.extensions["content"].library))
    reflection = factories.create_reflection(
        world.staff, module, body="Shared, for now.", share_team=world.north
    )
    assert "Shared with North" in staff_client.get("/learning").get_data(as_text=True)
    reflection.shared_team_id = None
    db.session.commit()
    assert "Shared with North" not in staff_client.get("/learning").get_data(as_text=True)


def test_profile_history_shows_a_new_share(app, staff_client, world):
    """Does the profile's list of self-checks show a share made since the last view?"""
    from learning_hub.selfchecks import services

    check = factories.create_selfcheck(app, world.staff)
    assert "private" in staff_client.get("/selfcheck").get_data(as_text=True)
    services.share_with_team(check, world.north, world.staff)
    db.session.commit()
    page = staff_client.get("/selfcheck").get_data(as_text=True)
    assert "shared with North's facilitators" in page
