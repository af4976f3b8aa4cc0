"""The drift rule on constructed series (docs/drift.md)."""

from datetime import date

import pytest

from learning_hub.selfchecks import drift
from learning_hub.selfchecks.drift import Signal

MONTHS = drift.month_range(date(2025, 1, 1), date(2025, 12, 1))


def series(values, people=5):
    """{month: (value, people)} for a list of monthly values (None = no data)."""
    return {m: (v, people) for m, v in zip(MONTHS, values, strict=False) if v is not None}


def run(values, **kwargs):
    return drift.evaluate(series(values), periods=MONTHS[: len(values)], **kwargs)


def test_month_range_crosses_a_year():
    """Does a month range run across the turn of the year?"""
    assert drift.month_range(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_steady_series_raises_nothing():
    """Does a series wobbling around its baseline stay steady?"""
    result = run([3.0, 3.1, 2.9, 3.0, 3.2, 2.9, 3.0, 3.1])
    assert result.signal == Signal.STEADY
    assert result.baseline == pytest.approx(3.0)
    assert abs(result.change) < 0.1


def test_sudden_drop_alerts_after_two_months():
    """Is a sudden one-point drop flagged once the smoothed value has stayed low two months?"""
    assert run([3.0, 3.0, 3.0, 2.0]).signal == Signal.NOT_ENOUGH_DATA  # one month after
    assert run([3.0, 3.0, 3.0, 3.0, 2.0]).signal == Signal.STEADY  # smoothed only 2.7
    first = run([3.0, 3.0, 3.0, 3.0, 2.0, 2.0])
    # smoothed: 3.0 .. 2.7 then 2.49: only one month at least 0.4 below 3.0
    assert first.signal == Signal.STEADY
    result = run([3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0])
    assert result.signal == Signal.DRIFT
    assert result.since == MONTHS[5]
    assert result.change == pytest.approx(2.0 + 0.7**3 - 3.0, abs=1e-9)


def test_slow_decline_is_caught():
    """Is a decline of 0.15 a month caught when no single month looks alarming?"""
    values = [3.2, 3.2, 3.2] + [3.2 - 0.15 * n for n in range(1, 9)]
    result = run(values)
    assert result.signal == Signal.DRIFT
    assert result.change < -0.4


def test_recovery_clears_the_alert():
    """After a drop, does a return to the old level clear the drift signal?"""
    dropped = [3.0, 3.0, 3.0, 2.0, 2.0, 2.0]
    assert run(dropped).signal == Signal.DRIFT
    assert run(dropped + [3.2, 3.4, 3.4, 3.4]).signal == Signal.STEADY


def test_improvement_is_signalled_upwards():
    """Is a sustained rise reported as improving?"""
    assert run([2.0, 2.0, 2.0, 3.0, 3.0, 3.0]).signal == Signal.IMPROVING


def test_gaps_are_skipped_not_counted_as_zero():
    """Do months without data leave the trend alone rather than dragging it down?"""
    result = run([3.0, None, 3.0, 3.0, None, None, 3.0, 3.0])
    assert result.signal == Signal.STEADY
    assert [p.value for p in result.points][1] is None
    assert result.points[1].smoothed is None
    assert result.change == pytest.approx(0.0)


def test_too_few_people_makes_a_gap():
    """With fewer than MIN_GROUP_SIZE people, is a month suppressed rather than shown?"""
    person_scores = {
        ("a", MONTHS[0]): 3.0,
        ("b", MONTHS[0]): 2.0,
        ("a", MONTHS[1]): 3.0,
        ("b", MONTHS[1]): 2.0,
        ("c", MONTHS[1]): 1.0,
    }
    values = drift.team_period_values(person_scores, min_group=3)
    assert values[MONTHS[0]] == (None, 2)
    assert values[MONTHS[1]] == (pytest.approx(2.0), 3)
    result = drift.evaluate(values, periods=MONTHS[:2])
    assert result.points[0].value is None and result.signal == Signal.NOT_ENOUGH_DATA


def test_each_person_counts_once_per_month():
    """Is a team month the mean over people, not over checks?"""
    values = drift.team_period_values(
        {("a", MONTHS[0]): 4.0, ("b", MONTHS[0]): 2.0, ("c", MONTHS[0]): 3.0}, min_group=3
    )
    assert values[MONTHS[0]][0] == pytest.approx(3.0)


def test_not_enough_baseline_months():
    """With fewer than three months of data, is there no baseline and no signal?"""
    result = run([3.0, 1.0])
    assert result.signal == Signal.NOT_ENOUGH_DATA and result.baseline is None


def test_baseline_range_set_by_a_leader():
    """Does a named baseline range replace the first three months?"""
    values = [2.0, 2.0, 2.0, 3.2, 3.2, 3.2, 3.2, 3.2]
    default = run(values)
    assert default.signal == Signal.IMPROVING
    chosen = run(values, baseline_range=(MONTHS[3], MONTHS[5]))
    assert chosen.baseline == pytest.approx(3.2)
    assert chosen.signal != Signal.DRIFT


def test_threshold_and_lambda_are_configurable():
    """Do a smaller threshold and a faster lambda flag a smaller, quicker change?"""
    values = [3.0, 3.0, 3.0, 2.7, 2.7]
    assert run(values).signal == Signal.STEADY
    assert run(values, threshold=0.2, lam=0.9).signal == Signal.DRIFT
