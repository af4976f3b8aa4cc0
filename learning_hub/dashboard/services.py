"""The leaders' view across teams: fidelity drift, quiet teams and participation depth.

Everything here is an aggregate over at least MIN_GROUP_SIZE people; nothing
names or singles out a person, and the figures are shown under the disclosure rules
(``learning_hub.core.disclosure``): contributor counts as bands, means to one
decimal, "not enough responses" where a figure is hidden. The queries aggregate in
SQL over rollups kept on write (each person's monthly scores, and their monthly
counts of writing in ``learning_hub.dashboard.participation``). Drift reads each
team's monthly figures from the start of the default baseline's window (or of the
range, or of a baseline a leader set, if earlier) to this month
(``selfchecks.services.team_drift``): one row per team, month and principle.
"""

from dataclasses import dataclass, field

from flask import current_app

from learning_hub.auth.models import Team
from learning_hub.content import PRINCIPLES
from learning_hub.core.disclosure import HIDDEN, band, one_decimal
from learning_hub.core.extensions import cache, db
from learning_hub.dashboard import participation as participation_rollup
from learning_hub.selfchecks import drift
from learning_hub.selfchecks import services as selfchecks

# What each kind of participation counted in ``participation.KIND_NAMES`` is called on
# the page and in the export; a kind is shown once the rollup counts it.
KIND_LABELS = {
    "reflections": "Module reflections",
    "responses": "Peer responses",
    "self_checks": "Self-checks",
    "agenda_items": "Agenda items raised",
    "case_reflections": "Case reflections",
    "case_responses": "Responses on cases",
    "actions_done": "Actions completed",
}


def kinds():
    """(kind name, label) of every kind of participation counted, in the rollup's order."""
    return [(name, KIND_LABELS[name]) for name in participation_rollup.KIND_NAMES]


def min_group():
    return current_app.config["MIN_GROUP_SIZE"]


def people_band(count):
    """A number of contributors as it is shown beside a figure: its band ("3-9")."""
    return band(count, min_group())


def signed(value):
    """A change as it is shown: one decimal, with its sign (none on a change of 0.0)."""
    text = one_decimal(value)
    if text.lstrip("-") == "0.0":
        return "0.0"
    return text if text.startswith("-") else "+" + text


@dataclass
class Participation:
    team: Team
    active_people: int
    counts: dict  # {kind name: total in the range}
    # Hidden by the disclosure rules (``participation.team_totals``): too few active
    # people, or too close to another team's.
    hidden: bool = False

    @property
    def is_shown(self):
        return not self.hidden

    @property
    def people(self):
        """The number of active people as its band."""
        return people_band(self.active_people)

    def per_person(self, kind):
        """How many of ``kind`` per active person, to one decimal."""
        count = self.counts.get(kind, 0)
        return one_decimal(count / self.active_people if self.active_people else 0.0)


@dataclass(frozen=True)
class Baseline:
    """The months a team's baseline is taken from (first days), or None while it has too
    few months with enough responses for one; ``teams`` are the names it applies to."""

    months: tuple | None
    teams: tuple

    @property
    def words(self):
        if self.months is None:
            return None
        first, last = self.months
        if first == last:
            return f"{first:%b %Y}"
        return f"{first:%b %Y} to {last:%b %Y}"


def baselines(teams, results):
    """The baselines of ``teams`` in ``results`` (``team_drift``'s), one per distinct range
    of months, in the order of the teams: a single one when every team shares it."""
    grouped = {}
    for team in teams:
        items = list(results[team.id].values())
        months = items[0].baseline_months if items else None
        grouped.setdefault(months, []).append(team.name)
    return [Baseline(months, tuple(names)) for months, names in grouped.items()]


@dataclass
class DriftDashboard:
    first: object
    last: object
    periods: list
    teams: list
    results: dict  # {team_id: {principle: TeamDrift}}
    quiet: set
    participation: list
    baselines: list = field(default_factory=list)
    alerts: list = field(default_factory=list)


@cache.memoize()
def _participation_counts(ids, first, last):
    """{team id: {"active_people": n, "hidden": bool, kind: total}} of writing in the
    months (plain values)."""
    return participation_rollup.team_totals(ids, first, last, min_group())


def participation(teams, first, last):
    """Depth of participation per team in the months from ``first`` to ``last``: each kind
    of writing the rollup counts (``participation.KIND_NAMES``)."""
    totals = _participation_counts(tuple(t.id for t in teams), first, last)
    return [
        Participation(
            team=team,
            active_people=totals[team.id]["active_people"],
            counts={name: totals[team.id][name] for name in participation_rollup.KIND_NAMES},
            hidden=totals[team.id]["hidden"],
        )
        for team in teams
    ]


def build_dashboard(first, last, baseline_range=None):
    teams = db.session.scalars(db.select(Team).order_by(Team.name)).all()
    principles = list(PRINCIPLES)
    results = selfchecks.team_drift(teams, principles, first, last, baseline_range=baseline_range)
    dashboard = DriftDashboard(
        first=first,
        last=last,
        periods=drift.month_range(first, last),
        teams=teams,
        results=results,
        quiet=selfchecks.quiet_teams(teams),
        participation=participation(teams, first, last),
        baselines=baselines(teams, results),
    )
    for team in teams:
        for principle in principles:
            item = results[team.id][principle]
            if item.result.signal in (drift.Signal.DRIFT, drift.Signal.IMPROVING):
                dashboard.alerts.append(item)
    dashboard.alerts.sort(
        key=lambda a: (a.result.signal != drift.Signal.DRIFT, a.result.change or 0)
    )
    return dashboard


def figure_rows(periods, series):
    """Table rows ``(period, [Point or None per series])`` for the months in which at least
    one series has a figure shown; ``series`` is ``{key: TeamDrift}``."""
    points = {
        key: {point.period: point for point in item.result.points} for key, item in series.items()
    }
    rows = []
    for period in periods:
        cells = [by_period.get(period) for by_period in points.values()]
        if any(cell is not None and cell.value is not None for cell in cells):
            rows.append((period, cells))
    return rows


def _months_words(months):
    return f"{months[0]:%Y-%m} to {months[1]:%Y-%m}" if months else ""


def csv_rows(dashboard):
    """Exactly the figures the page shows, one row per team and principle, then depth."""
    yield [
        "section",
        "team",
        "principle",
        "latest month",
        "latest value",
        "people",
        "baseline",
        "change from baseline",
        "signal",
        "since",
        "baseline months",
    ]
    for team in dashboard.teams:
        for principle, item in dashboard.results[team.id].items():
            latest = item.result.latest
            result = item.result
            yield [
                "fidelity",
                team.name,
                PRINCIPLES[principle],
                latest.period.strftime("%Y-%m") if latest else "",
                one_decimal(latest.value) if latest else HIDDEN,
                people_band(latest.people) if latest else "",
                one_decimal(result.baseline) if result.baseline is not None else "",
                signed(result.change) if result.change is not None else "",
                result.signal.label,
                result.since.strftime("%Y-%m") if result.since else "",
                _months_words(item.baseline_months),
            ]
    yield []
    labels = kinds()
    yield [
        "section",
        "team",
        "active people",
        *(f"{label.lower()} per active person" for _, label in labels),
        "quiet",
    ]
    for row in dashboard.participation:
        quiet = "yes" if row.team.id in dashboard.quiet else "no"
        if row.is_shown:
            figures = [row.people, *(row.per_person(name) for name, _ in labels)]
        else:
            figures = [HIDDEN, *("" for _ in labels)]
        yield ["participation", row.team.name, *figures, quiet]
