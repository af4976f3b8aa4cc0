"""Leaders' aggregates may be reused for AGGREGATE_CACHE_SECONDS, as plain values only."""

import pytest

from learning_hub.dashboard import routes as dashboard_routes
from learning_hub.dashboard import services as dashboard
from learning_hub.extensions import db
from learning_hub.selfchecks import services as selfchecks
from tests import querycount
from tests.conftest import without_csrf


def page(response):
    """The page, its log-out form's CSRF token blanked."""
    return without_csrf(response.get_data(as_text=True))


@pytest.fixture
def app_config():
    return {"AGGREGATE_CACHE_SECONDS": 60}


@pytest.fixture(autouse=True)
def empty_memos():
    memos = (
        selfchecks._team_period_rows,
        dashboard._participation_counts,
        dashboard_routes.dashboard_body,
    )
    for memo in memos:
        memo.cache_clear()
    yield
    for memo in memos:
        memo.cache_clear()


def test_dashboard_renders_the_same_from_the_memo(leader_client, world):
    """Does a second view, built from remembered plain values, show the same page?"""
    first = leader_client.get("/dashboard/drift")
    second = leader_client.get("/dashboard/drift")
    assert first.status_code == second.status_code == 200
    assert page(first) == page(second)
    rows = selfchecks.team_period_rows([world.north.id, world.south.id], *_range())
    assert all(isinstance(row, tuple) for row in rows)


def _range():
    from datetime import date

    today = date.today()
    return date(today.year - 1, today.month, 1), date(today.year, today.month, 1)


def _bounds():
    return _range()


def test_memo_is_off_when_the_limit_is_zero(app, world):
    """With AGGREGATE_CACHE_SECONDS = 0, is every call computed afresh?"""
    app.config["AGGREGATE_CACHE_SECONDS"] = 0
    first = dashboard._participation_counts((world.north.id,), *_bounds())
    second = dashboard._participation_counts((world.north.id,), *_bounds())
    assert first == second and first is not second


def test_memo_returns_the_same_value_within_the_limit(app, world):
    """Within the limit, is the very same plain value handed back?"""
    first = dashboard._participation_counts((world.north.id,), *_bounds())
    second = dashboard._participation_counts((world.north.id,), *_bounds())
    assert first is second
    dashboard._participation_counts.cache_clear()
    assert dashboard._participation_counts((world.north.id,), *_bounds()) is not first


def test_dashboard_body_is_rendered_once_within_the_limit(leader_client):
    """Within the limit, does a second view reuse the rendered body and skip its queries?"""
    with querycount.counting(db.engine) as cold:
        first = leader_client.get("/dashboard/drift")
    with querycount.counting(db.engine) as warm:
        second = leader_client.get("/dashboard/drift")
    assert page(first) == page(second)
    assert len(warm) < len(cold)
    with querycount.counting(db.engine) as other_range:
        leader_client.get("/dashboard/drift?from=2020-01&to=2020-06")
    assert len(other_range) > len(warm), "another range is its own entry, built afresh"


def test_a_full_versioned_memo_forgets_the_entry_used_longest_ago(app):
    """Past its limit, does the memo drop the least recently used entry and keep the rest?"""
    from learning_hub.memo import versioned_memo

    app.config["TEST_MEMO_ENTRIES"] = 2
    computed = []

    @versioned_memo(limit_setting="TEST_MEMO_ENTRIES")
    def square(version, n):
        computed.append(n)
        return n * n

    for n in (1, 2, 1, 3):  # 2 is now the one used longest ago
        square("v1", n)
    assert computed == [1, 2, 3]
    square("v1", 1)
    square("v1", 3)
    assert computed == [1, 2, 3], "1 and 3 were kept"
    square("v1", 2)
    assert computed == [1, 2, 3, 2], "2 was forgotten"
    square("v2", 3)
    assert computed[-1] == 3, "another version is another entry"
