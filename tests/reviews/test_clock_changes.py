"""Local start times around the clock changes: the skipped spring hour is refused, not moved."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from learning_hub.core.extensions import db
from learning_hub.reviews import services
from learning_hub.reviews.models import ReviewSession
from tests import factories

LONDON = "Europe/London"


def last_sunday(month, after=None):
    """The last Sunday of ``month`` in the first year after ``after`` (today) that has one."""
    after = after or date.today()
    for year in (after.year, after.year + 1):
        day = date(year, month + 1, 1) - timedelta(days=1)
        day -= timedelta(days=(day.weekday() - 6) % 7)
        if day > after + timedelta(days=1):
            return day
    raise AssertionError("unreachable")


SPRING = last_sunday(3)  # the clocks go forward at 01:00 GMT: 01:00-02:00 does not exist
AUTUMN = last_sunday(10)  # the clocks go back at 02:00 BST: 01:00-02:00 happens twice


def test_a_start_in_the_skipped_hour_is_refused():
    """Is 01:30 on the spring clock-change day in London refused, naming the date?"""
    with pytest.raises(services.NonexistentTime) as refused:
        services.expand(datetime.combine(SPRING, time(1, 30)), "", LONDON)
    assert f"01:30 on Sunday {SPRING:%-d} March {SPRING.year} does not exist" in str(refused.value)


def test_an_ambiguous_autumn_time_takes_the_summer_time_reading():
    """Is 01:30 on the autumn clock-change day read as summer time (00:30 UTC)?"""
    (start,) = services.expand(datetime.combine(AUTUMN, time(1, 30)), "", LONDON)
    assert start == datetime.combine(AUTUMN, time(0, 30), tzinfo=UTC)


def test_a_recurring_rule_with_an_occurrence_in_the_gap_is_refused():
    """Is a weekly 01:30 series refused, naming the one Sunday whose 01:30 does not exist?"""
    start = datetime.combine(SPRING - timedelta(days=14), time(1, 30))
    with pytest.raises(services.NonexistentTime) as refused:
        services.expand(start, "FREQ=WEEKLY;COUNT=4", LONDON)
    assert f"{SPRING:%-d} March {SPRING.year}" in str(refused.value)
    # The same series an hour later is fine, and keeps 02:30 local on the change day.
    later = services.expand(start.replace(hour=2, minute=30), "FREQ=WEEKLY;COUNT=4", LONDON)
    assert later[2] == datetime.combine(SPRING, time(1, 30), tzinfo=UTC)


def test_the_schedule_form_refuses_the_skipped_hour_beside_the_start_time(client_for, world):
    """Does the schedule form refuse 01:30 on the spring change day, keeping what was typed?"""
    client = client_for("facilitator")
    response = client.post(
        f"/teams/{world.north.id}/sessions/new",
        data={
            "title": "Night shift reflection",
            "start_on": SPRING.isoformat(),
            "start_time": "01:30",
            "duration": 60,
            "location": "",
            "repeat": "",
            "custom_rule": "",
            "until": "",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    beside_start_time = body.split('for="start_time"')[1].split('for="duration"')[0]
    assert "does not exist in Europe/London" in beside_start_time
    assert "Night shift reflection" in body and 'value="01:30"' in body
    assert db.session.scalar(db.select(db.func.count(ReviewSession.id))) == 0


def test_moving_a_session_into_the_skipped_hour_is_refused(client_for, world):
    """Is moving an occurrence to 01:30 on the spring change day refused, not moved to 02:30?"""
    client = client_for("facilitator")
    session = factories.create_review(world.north, world.facilitator, rule="").sessions[0]
    before = session.starts_at
    response = client.post(
        f"/sessions/{session.id}/move",
        data={"start_on": SPRING.isoformat(), "start_time": "01:30", "duration": 60},
    )
    assert response.status_code == 400
    assert b"does not exist in Europe/London" in response.data
    db.session.expire_all()
    assert session.starts_at == before and session.sequence == 0
