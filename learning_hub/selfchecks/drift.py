"""The drift rule: plain functions over per-period scores, documented in docs/drift.md.

1. **Period scores.** Scores are grouped into calendar months. A person's score
   for a principle in a period is the mean of their item ratings for that
   principle in their *latest* submitted self-check of the period. A team's
   value for the period is the mean over its members of those person scores, so
   somebody who takes the check three times a month counts once.
2. **Group size.** A team period counts only when at least ``min_group``
   distinct people contribute; otherwise it is a gap ("not enough responses").
3. **Baseline.** The mean of the first ``baseline_periods`` (3) periods with
   data, or of the periods inside a date range a leader sets.
4. **Smoothing.** An exponentially weighted moving average over the periods
   with data, ``s = lam * x + (1 - lam) * s_prev``, starting at the first value.
   Gaps are skipped: the average neither moves nor decays through them.
5. **Signals.** After the baseline, *drift* when the smoothed value sits at
   least ``threshold`` below the baseline for two consecutive periods with
   data; *improving* the same way upwards; otherwise *steady*. With fewer than
   ``baseline_periods + 2`` periods of data there is *not enough data*.
"""

import enum
from dataclasses import dataclass, field
from datetime import date


class Signal(enum.StrEnum):
    DRIFT = "drift"
    IMPROVING = "improving"
    STEADY = "steady"
    NOT_ENOUGH_DATA = "not-enough-data"

    @property
    def label(self):
        return {
            "drift": "Drifting down",
            "improving": "Improving",
            "steady": "Steady",
            "not-enough-data": "Not enough data yet",
        }[self.value]


@dataclass(frozen=True)
class Point:
    period: date
    value: float | None  # None: a gap (no data, or too few people)
    people: int
    smoothed: float | None = None


@dataclass(frozen=True)
class DriftResult:
    points: list
    baseline: float | None
    signal: Signal
    change: float | None = None  # latest smoothed minus baseline
    since: date | None = None  # first period of the run that raised the signal
    notes: list = field(default_factory=list)

    @property
    def latest(self):
        return next((p for p in reversed(self.points) if p.value is not None), None)


def period_of(moment):
    """The calendar month a date or datetime falls in, as its first day."""
    return date(moment.year, moment.month, 1)


def default_range(today):
    """The months a drift page shows unless asked for others, from the same month a
    year before ``today`` to ``today``'s (first days); the default baseline is taken
    from them too."""
    return date(today.year - 1, today.month, 1), period_of(today)


def month_range(start, end):
    """Every month from ``start`` to ``end`` inclusive (first days)."""
    current, last = period_of(start), period_of(end)
    months = []
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def team_period_values(person_scores, min_group=1):
    """{period: (mean, people)} from ``{(person, period): score}``, suppressing small groups.

    ``person_scores`` already holds one score per person per period (their
    latest check in it), so each person weighs the same.
    """
    grouped = {}
    for (_person, period), score in person_scores.items():
        grouped.setdefault(period, []).append(score)
    return {
        period: (sum(scores) / len(scores) if len(scores) >= min_group else None, len(scores))
        for period, scores in grouped.items()
    }


def ewma(values, lam):
    """Smoothed values for a list with gaps (None); gaps keep the previous value, unshown."""
    smoothed, current = [], None
    for value in values:
        if value is None:
            smoothed.append(None)
            continue
        current = value if current is None else lam * value + (1 - lam) * current
        smoothed.append(current)
    return smoothed


def evaluate(
    values_by_period,
    *,
    periods=None,
    lam=0.3,
    threshold=0.4,
    baseline_periods=3,
    baseline_range=None,
):
    """Apply the drift rule to ``{period: (value or None, people)}``.

    ``periods`` fixes the x-axis (missing periods become gaps); by default the
    periods present, in order. ``baseline_range`` is an optional (first, last)
    pair of periods whose values form the baseline instead of the first three.
    """
    periods = sorted(periods if periods is not None else values_by_period)
    raw = [values_by_period.get(p, (None, 0)) for p in periods]
    values = [v for v, _ in raw]
    smoothed = ewma(values, lam)
    points = [Point(p, v, n, s) for p, (v, n), s in zip(periods, raw, smoothed, strict=True)]
    with_data = [i for i, v in enumerate(values) if v is not None]

    if baseline_range is not None:
        first, last = baseline_range
        base_idx = [i for i in with_data if first <= periods[i] <= last]
    else:
        base_idx = with_data[:baseline_periods]
    if not base_idx or (baseline_range is None and len(base_idx) < baseline_periods):
        return DriftResult(points, None, Signal.NOT_ENOUGH_DATA)
    baseline = sum(values[i] for i in base_idx) / len(base_idx)
    after = [i for i in with_data if i > base_idx[-1]]
    if len(after) < 2:
        return DriftResult(points, baseline, Signal.NOT_ENOUGH_DATA)

    latest = smoothed[after[-1]]
    change = latest - baseline
    last_two = after[-2:]
    if all(smoothed[i] <= baseline - threshold + 1e-9 for i in last_two):
        signal = Signal.DRIFT
    elif all(smoothed[i] >= baseline + threshold - 1e-9 for i in last_two):
        signal = Signal.IMPROVING
    else:
        return DriftResult(points, baseline, Signal.STEADY, change)
    since_idx = last_two[0]
    for i in reversed(after[:-2]):
        below = smoothed[i] <= baseline - threshold + 1e-9
        above = smoothed[i] >= baseline + threshold - 1e-9
        if (signal == Signal.DRIFT and below) or (signal == Signal.IMPROVING and above):
            since_idx = i
        else:
            break
    return DriftResult(points, baseline, signal, change, periods[since_idx])
