"""A person's own drift figures are remembered against the version of their rows."""

from datetime import UTC, datetime

import pytest

from learning_hub import lifecycle
from learning_hub.auth.models import User
from learning_hub.content import PRINCIPLES
from learning_hub.extensions import db
from learning_hub.selfchecks import profile
from learning_hub.selfchecks import services as selfchecks
from learning_hub.selfchecks.models import PeriodScore
from tests import factories, querycount
from tests.conftest import without_csrf


@pytest.fixture
def app_config():
    return {"PERSONAL_MEMO_ENTRIES": 100}


@pytest.fixture(autouse=True)
def empty_memo():
    selfchecks._personal_drift.cache_clear()
    profile._profile.cache_clear()
    yield
    selfchecks._personal_drift.cache_clear()
    profile._profile.cache_clear()


def _months(app, user, ratings):
    for month, value in zip(range(1, len(ratings) + 1), ratings, strict=True):
        factories.create_selfcheck(
            app, user, value, submitted_at=datetime(2025, month, 10, 9, tzinfo=UTC)
        )


def test_second_call_reuses_the_figures_without_reading_the_rows(app, world):
    """Is the same result handed back without a statement: the version comes with the person?"""
    _months(app, world.staff, [4, 4, 4, 3, 2])
    first = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    with querycount.counting(db.engine) as statements:
        second = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    assert second is first
    assert statements == []


def _version(user_id):
    return db.session.scalar(db.select(User.scores_version).where(User.id == user_id))


def test_every_change_to_the_monthly_scores_moves_the_version(app, world):
    """Does a first check, a later one replacing its month, and an erasure each move it on?"""
    assert _version(world.staff.id) == 0
    factories.create_selfcheck(app, world.staff, 3, submitted_at=datetime(2025, 3, 2, tzinfo=UTC))
    assert _version(world.staff.id) == 1
    factories.create_selfcheck(app, world.staff, 4, submitted_at=datetime(2025, 3, 9, tzinfo=UTC))
    assert _version(world.staff.id) == 2
    assert _version(world.facilitator.id) == 0, "another person's version stays"
    lifecycle.erase_person(world.staff, world.admin)
    db.session.commit()
    assert _version(world.staff.id) == 3


def test_the_person_in_the_session_sees_the_new_version_at_once(app, world):
    """Is the loaded person's own ``scores_version`` moved with the row, so a page drawn
    after the write in the same request does not key on the old figures?"""
    before = selfchecks.rollup_version(world.staff)
    factories.create_selfcheck(app, world.staff, 2)
    assert selfchecks.rollup_version(world.staff) != before


def test_a_person_made_afresh_with_the_same_id_does_not_reuse_figures(app, world):
    """Keyed on the creation time too: a database seeded again under the same URL gives
    person 1 version 0 again, with other scores."""
    _months(app, world.staff, [4, 4, 4])
    first = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    world.staff.created_at = datetime(2030, 1, 1, tzinfo=UTC)
    db.session.execute(db.delete(PeriodScore).where(PeriodScore.user_id == world.staff.id))
    db.session.commit()
    again = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    assert again is not first
    assert all(not result.points for result in again.values())


def test_a_new_check_in_the_same_month_changes_the_figures(app, world):
    """Does a later check that replaces a month's rollup row recompute the drift?"""
    _months(app, world.staff, [4, 4, 4, 4, 4])
    before = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    factories.create_selfcheck(
        app, world.staff, 1, submitted_at=datetime(2025, 5, 20, 9, tzinfo=UTC)
    )
    rows = db.session.scalar(
        db.select(db.func.count(PeriodScore.id)).where(PeriodScore.user_id == world.staff.id)
    )
    assert rows == 5 * len(PRINCIPLES), "the month's rows were updated in place, not added"
    after = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    assert after is not before
    for principle in PRINCIPLES:
        assert before[principle].points[-1].value > after[principle].points[-1].value


def test_people_do_not_share_figures(app, world):
    """Are two people's figures kept apart, even with identical histories?"""
    _months(app, world.staff, [3, 3, 3])
    _months(app, world.facilitator, [3, 3, 3])
    mine = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    theirs = selfchecks.personal_drift(world.facilitator, list(PRINCIPLES))
    assert mine is not theirs and mine == theirs


def test_the_memo_is_off_at_zero(app, world):
    """With PERSONAL_MEMO_ENTRIES = 0 (as in testing), is every call computed afresh?"""
    app.config["PERSONAL_MEMO_ENTRIES"] = 0
    _months(app, world.staff, [3, 3, 3])
    first = selfchecks.personal_drift(world.staff, list(PRINCIPLES))
    assert selfchecks.personal_drift(world.staff, list(PRINCIPLES)) is not first


def test_latest_scores_come_from_the_rollup_and_match_the_answers(app, world):
    """Are the profile's latest scores, read from eight rollup rows, the answers' means?"""
    ratings = {
        item.id: (i % 5)
        for i, item in enumerate(app.extensions["content"].library.instrument.items)
    }
    check = factories.create_selfcheck(app, world.staff, ratings)
    scores = selfchecks.latest_scores(check)
    assert scores == check.principle_scores()
    assert list(scores) == list(check.principle_scores())


def test_the_profile_page_is_worked_out_once_for_each_version(app, world, staff_client):
    """Does a second view reuse the profile, reading only the version, and a new check show?"""
    _months(app, world.staff, [4, 4, 3, 2, 1])
    first = staff_client.get("/selfcheck").get_data(as_text=True)
    with querycount.counting(db.engine) as statements:
        second = staff_client.get("/selfcheck").get_data(as_text=True)
    assert without_csrf(second) == without_csrf(first)
    assert not [
        s for s in statements if "FROM period_scores WHERE period_scores.self_check_id" in s
    ]
    assert "Your latest self-check (10 May 2025)" in second
    factories.create_selfcheck(
        app,
        world.staff,
        4,
        submitted_at=datetime(2025, 6, 12, 9, tzinfo=UTC),
        notes={next(iter(PRINCIPLES)): "Kept my own views out of the plan."},
    )
    third = staff_client.get("/selfcheck").get_data(as_text=True)
    assert "Your latest self-check (12 June 2025)" in third
    assert "Kept my own views out of the plan." in third
