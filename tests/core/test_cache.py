"""The one cache (Flask-Caching) never shows a stale page: the suite runs with it on.

Each cached thing is keyed on every value it shows, so a change is seen on the very
next view; the leaders' aggregates are time-limited and are seen once their timeout
has passed. Cached values are plain values, never ORM objects.
"""

import dataclasses
import pickle
from datetime import UTC, datetime

from learning_hub.cases import services as cases
from learning_hub.content import PRINCIPLES
from learning_hub.core.extensions import cache, db
from learning_hub.selfchecks import services as selfchecks
from tests import factories, querycount
from tests.conftest import without_csrf


def text(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_cache_is_on_in_tests(app):
    """Does the suite run with the production cache, so a stale page fails a test?"""
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    cache.set("probe", 1)
    assert cache.get("probe") == 1


def test_a_new_case_is_in_the_teams_list_at_once(client_for, world):
    client = client_for("staff")
    url = f"/teams/{world.north.id}/cases?status=all"
    first = factories.create_case(world.north, world.staff)
    assert first.code in text(client.get(url))
    second = factories.create_case(world.north, world.staff)
    page = text(client.get(url))
    assert first.code in page and second.code in page


def test_a_closed_case_shows_closed_in_the_list_at_once(client_for, world):
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    url = f"/teams/{world.north.id}/cases?status=all"
    assert "Closed</span>" not in text(client.get(url))
    case.close()
    db.session.commit()
    assert "Closed</span>" in text(client.get(url))


def test_the_case_list_follows_the_script_root(client_for, world):
    """Is a list drawn under one mount point never served under another?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    url = f"/teams/{world.north.id}/cases?status=all"
    assert f'href="/cases/{case.id}"' in text(client.get(url))
    mounted = text(client.get(url, environ_overrides={"SCRIPT_NAME": "/hub"}))
    assert f'href="/hub/cases/{case.id}"' in mounted


def test_a_new_response_shows_on_the_case_page_at_once(client_for, world):
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    reflection = factories.create_case_reflection(case, world.staff)
    assert "Read the analysis and plan</a>" in text(client.get(f"/cases/{case.id}"))
    cases.respond(reflection, world.facilitator, "Could the letter go by text first?")
    db.session.commit()
    page = text(client.get(f"/cases/{case.id}"))
    assert "Read the analysis and plan, and 1 response</a>" in page


def test_a_reflection_made_private_shows_in_my_learning_at_once(client_for, world, app):
    client = client_for("staff")
    module = next(iter(app.extensions["content"].library))
    reflection = factories.create_reflection(
        world.staff, module, body="Shared, for now.", share_team=world.north
    )
    assert "Shared with North" in text(client.get("/learning"))
    reflection.shared_team_id = None
    db.session.commit()
    assert "Shared with North" not in text(client.get("/learning"))


def test_a_new_share_shows_in_the_self_check_history_at_once(app, client_for, world):
    client = client_for("staff")
    check = factories.create_selfcheck(app, world.staff)
    assert "private" in text(client.get("/selfcheck"))
    selfchecks.share_with_team(check, world.north, world.staff)
    db.session.commit()
    assert "shared with North's facilitators" in text(client.get("/selfcheck"))


def _months(app, user, ratings):
    for month, value in enumerate(ratings, start=1):
        factories.create_selfcheck(
            app, user, value, submitted_at=datetime(2025, month, 10, 9, tzinfo=UTC)
        )


def test_a_new_self_check_changes_the_drift_page_at_once(app, world, client_for):
    """Is an unchanged profile served from the cache, and a new check seen on the next view?"""
    client = client_for("staff")
    _months(app, world.staff, [4, 4, 3, 2, 1])
    first = text(client.get("/selfcheck"))
    with querycount.counting(db.engine) as statements:
        second = text(client.get("/selfcheck"))
    assert without_csrf(second) == without_csrf(first)
    assert not [s for s in statements if "FROM period_scores" in s]
    assert "Your latest self-check (10 May 2025)" in second
    factories.create_selfcheck(
        app,
        world.staff,
        4,
        submitted_at=datetime(2025, 6, 12, 9, tzinfo=UTC),
        notes={next(iter(PRINCIPLES)): "Kept my own views out of the plan."},
    )
    third = text(client.get("/selfcheck"))
    assert "Your latest self-check (12 June 2025)" in third
    assert "Kept my own views out of the plan." in third


def test_a_later_check_in_the_same_month_changes_the_figures(app, world):
    """Does a check that replaces a month's rollup row give new drift figures?"""
    _months(app, world.staff, [4, 4, 4, 4, 4])
    before = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    factories.create_selfcheck(
        app, world.staff, 1, submitted_at=datetime(2025, 5, 20, 9, tzinfo=UTC)
    )
    after = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    for principle in PRINCIPLES:
        assert before[principle].points[-1].value > after[principle].points[-1].value


def test_people_do_not_share_figures(app, world):
    _months(app, world.staff, [4, 4, 4])
    _months(app, world.facilitator, [1, 1, 1])
    mine = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    theirs = selfchecks.personal_drift(world.facilitator, list(PRINCIPLES))
    principle = next(iter(PRINCIPLES))
    assert mine[principle].points[-1].value > theirs[principle].points[-1].value


def test_a_leaders_dashboard_changes_once_its_timeout_has_passed(
    app, client_for, world, cache_expires
):
    """Is a new self-check in the leaders' aggregates once CACHE_DEFAULT_TIMEOUT has passed?"""
    factories.create_user(teams={world.north: "member"})  # a team large enough to flag
    client = client_for("leader")
    assert "<strong>North</strong> has been quiet" in text(client.get("/dashboard/drift"))
    factories.create_selfcheck(app, world.staff, 3)
    cache_expires()
    page = text(client.get("/dashboard/drift"))
    assert "<strong>North</strong> has been quiet" not in page


def test_a_leaders_dashboard_is_computed_once_within_its_timeout(client_for):
    """Does a second view within the timeout show the same page without its aggregate queries,
    and another range compute its own?"""
    client = client_for("leader")
    with querycount.counting(db.engine) as cold:
        first = text(client.get("/dashboard/drift"))
    with querycount.counting(db.engine) as warm:
        second = text(client.get("/dashboard/drift"))
    assert without_csrf(first) == without_csrf(second)
    assert len(warm) < len(cold)
    with querycount.counting(db.engine) as other_range:
        client.get("/dashboard/drift?from=2020-01&to=2020-06")
    assert len(other_range) > len(warm)


def _orm_objects(value, seen=None):
    """The mapped (ORM) instances anywhere inside ``value``."""
    seen = seen if seen is not None else set()
    if id(value) in seen or isinstance(value, str | bytes | int | float | type(None)):
        return []
    seen.add(id(value))
    if hasattr(value, "_sa_instance_state"):
        return [value]
    if isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        parts = list(value)
    elif dataclasses.is_dataclass(value):
        parts = [getattr(value, f.name) for f in dataclasses.fields(value)]
    else:
        parts = list(getattr(value, "__dict__", {}).values())
    return [found for part in parts for found in _orm_objects(part, seen)]


def test_cached_values_are_plain_values(app, world, client_for):
    """After the cached pages are drawn, is every value in the cache free of ORM objects?"""
    client = client_for("leader")
    staff = client_for(world.staff)
    case = factories.create_case(world.north, world.staff)
    factories.create_case_reflection(case, world.staff)
    _months(app, world.staff, [3, 4])
    module = next(iter(app.extensions["content"].library))
    factories.create_reflection(world.staff, module, share_team=world.north)
    for url in (
        f"/teams/{world.north.id}/cases",
        f"/teams/{world.north.id}/insights",
        f"/cases/{case.id}",
        "/selfcheck",
        "/learning",
        "/modules",
    ):
        text(staff.get(url))
    text(client_for(world.facilitator).get(f"/teams/{world.north.id}/fidelity"))
    text(client.get("/dashboard/drift"))
    stored = cache.cache._cache  # SimpleCache's entries: {key: (expires, pickled value)}
    assert len(stored) > 10
    for key, (_, pickled) in stored.items():
        assert _orm_objects(pickle.loads(pickled)) == [], key
