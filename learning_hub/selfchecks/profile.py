"""A person's own fidelity profile: scores over time, strengths, notes and suggestions."""

from collections import namedtuple
from dataclasses import dataclass, field, replace

from flask import current_app
from markupsafe import Markup

from learning_hub.content import PRINCIPLES
from learning_hub.core.extensions import cache
from learning_hub.selfchecks import drift, services

NOTES_FROM_LATEST = 6  # the notes section quotes the person's last six self-checks


# A submitted self-check as the profile shows it (plain values, fit to be cached).
Submitted = namedtuple("Submitted", "id submitted_at")


@dataclass
class Profile:
    checks: list  # Submitted: the latest few, newest first; the full history is paged

    periods: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(period, [score per principle])]
    chart: dict = field(default_factory=dict)
    chart_html: Markup = Markup()  # the chart and its table, drawn once per version
    latest: dict = field(default_factory=dict)
    strongest: list = field(default_factory=list)
    weakest: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # [(Submitted, principle, text)]
    drift: dict = field(default_factory=dict)
    suggestions: list = field(default_factory=list)  # [(principle, [modules])]


def chart_data(periods, series, principles):
    """Chart.js data for one line per principle over the months (gaps as null).

    Values are to one decimal, as every mean is shown (``core.disclosure.one_decimal``):
    a chart's numbers are in the page a leader receives as much as its table's.
    """
    return {
        "labels": [p.strftime("%b %Y") for p in periods],
        "datasets": [
            {
                "label": principles[key],
                "data": [
                    round(values[p], 1) if values.get(p) is not None else None for p in periods
                ],
            }
            for key, values in series.items()
        ],
        "yMax": 4,
    }


def chart_and_rows(periods, series, labels):
    """Chart data and the matching table rows (months with at least one figure)."""
    rows = [
        (period, [values.get(period) for values in series.values()])
        for period in periods
        if any(values.get(period) is not None for values in series.values())
    ]
    return chart_data(periods, series, labels), rows


def series_of(results):
    """{key: {period: value}} from {key: DriftResult-bearing item}."""
    return {
        key: {point.period: point.value for point in getattr(item, "result", item).points}
        for key, item in results.items()
    }


def personal_profile(user, library):
    """The person's profile, cached on the version of their monthly rollup.

    Everything here follows from their submitted self-checks, and a submitted check
    is never changed: a new one (or one removed) changes the version, so the figures,
    the chart, the notes and the suggestions are worked out afresh only then.
    """
    profile = _profile(services.rollup_version(user))
    drifting = [p for p, r in profile.drift.items() if r.signal == drift.Signal.DRIFT]
    # The suggestions name modules of the library as it is now (it can be reloaded).
    suggestions = [(p, [m for m in library if p in m.principles]) for p in drifting]
    return replace(profile, suggestions=suggestions)


@cache.memoize()
def _profile(version):
    checks = services.submitted_checks(version[0], limit=NOTES_FROM_LATEST)
    profile = Profile(checks=[Submitted(c.id, c.submitted_at) for c in checks])
    if not checks:
        return profile
    principles = list(PRINCIPLES)
    results = services.drift_from_version(version, principles)
    profile.drift = results
    periods = next(iter(results.values())).points
    profile.periods = [point.period for point in periods]
    profile.chart, profile.rows = chart_and_rows(profile.periods, series_of(results), PRINCIPLES)
    charts = current_app.jinja_env.get_template("_macros/charts.html").module
    profile.chart_html = charts.chart_with_table(
        "profile-chart",
        "Your score per principle by month",
        profile.chart,
        profile.periods,
        list(PRINCIPLES.values()),
        profile.rows,
    )
    profile.latest = services.latest_scores(checks[0])
    if profile.latest:
        top, bottom = max(profile.latest.values()), min(profile.latest.values())
        profile.strongest = [p for p, s in profile.latest.items() if s == top]
        profile.weakest = [p for p, s in profile.latest.items() if s == bottom and top != bottom]
    for check, submitted in zip(checks, profile.checks, strict=True):
        for principle in principles:
            text = (check.notes or {}).get(principle)
            if text:
                profile.notes.append((submitted, principle, text))
    return profile
