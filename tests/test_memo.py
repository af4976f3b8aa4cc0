"""Leaders' aggregates may be reused for AGGREGATE_CACHE_SECONDS, as plain values only."""

import pytest

from learning_hub.dashboard import services as dashboard
from learning_hub.selfchecks import services as selfchecks


@pytest.fixture
def app_config():
    return {"AGGREGATE_CACHE_SECONDS": 60}


@pytest.fixture(autouse=True)
def empty_memos():
    selfchecks._team_period_rows.cache_clear()
    dashboard._participation_counts.cache_clear()
    yield
    selfchecks._team_period_rows.cache_clear()
    dashboard._participation_counts.cache_clear()


def test_dashboard_renders_the_same_from_the_memo(leader_client, world):
    """Does a second view, built from remembered plain values, show the same page?"""
    first = leader_client.get("/dashboard/drift")
    second = leader_client.get("/dashboard/drift")
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    rows = selfchecks.team_period_rows([world.north.id, world.south.id], *_range())
    assert all(isinstance(row, tuple) for row in rows)


def _range():
    from datetime import date

    today = date.today()
    return date(today.year - 1, today.month, 1), date(today.year, today.month, 1)


def _bounds():
    return dashboard._range_bounds(*_range())


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
