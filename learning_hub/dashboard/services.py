"""The leaders' view across teams: fidelity drift, quiet teams and participation depth.

Everything here is an aggregate over at least MIN_GROUP_SIZE people; nothing
names or singles out a person. The queries aggregate in SQL over rollups kept
on write (each person's monthly scores, and their monthly counts of writing in
``learning_hub.dashboard.participation``), so the page's cost follows the number of
people and months shown, not the history.
"""

from dataclasses import dataclass, field

from flask import current_app

from learning_hub.auth.models import Team
from learning_hub.content import PRINCIPLES
from learning_hub.core.extensions import cache, db
from learning_hub.dashboard import participation as participation_rollup
from learning_hub.selfchecks import drift
from learning_hub.selfchecks import services as selfchecks


@dataclass
class Participation:
    team: Team
    active_people: int
    reflections: int
    responses: int
    self_checks: int
    agenda_items: int = 0
    case_reflections: int = 0
    case_responses: int = 0
    actions_done: int = 0
    hidden: bool = False

    @property
    def is_shown(self):
        return not self.hidden and self.active_people >= current_app.config["MIN_GROUP_SIZE"]

    def per_person(self, count):
        return count / self.active_people if self.active_people else 0.0


@dataclass
class DriftDashboard:
    first: object
    last: object
    periods: list
    teams: list
    results: dict  # {team_id: {principle: TeamPrinciple}}
    quiet: set
    participation: list
    alerts: list = field(default_factory=list)


@cache.memoize()
def _participation_counts(ids, first, last):
    """{team id: {"active_people": n, kind: total}} of writing in the months (plain values)."""
    return participation_rollup.team_totals(ids, first, last, current_app.config["MIN_GROUP_SIZE"])


def participation(teams, first, last):
    """Depth of participation per team in the months from ``first`` to ``last``: writing,
    responding, self-checking, raising agenda items (read from the monthly rollup)."""
    totals = _participation_counts(tuple(t.id for t in teams), first, last)
    return [Participation(team=team, **totals[team.id]) for team in teams]


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
                f"{latest.value:.2f}" if latest else "not enough responses",
                latest.people if latest else "",
                f"{result.baseline:.2f}" if result.baseline is not None else "",
                f"{result.change:+.2f}" if result.change is not None else "",
                result.signal.label,
                result.since.strftime("%Y-%m") if result.since else "",
            ]
    yield []
    yield [
        "section",
        "team",
        "active people",
        "reflections per active person",
        "peer responses per active person",
        "self-checks per active person",
        "agenda items raised per active person",
        "quiet",
    ]
    for row in dashboard.participation:
        quiet = "yes" if row.team.id in dashboard.quiet else "no"
        if row.is_shown:
            yield [
                "participation",
                row.team.name,
                row.active_people,
                f"{row.per_person(row.reflections):.2f}",
                f"{row.per_person(row.responses):.2f}",
                f"{row.per_person(row.self_checks):.2f}",
                f"{row.per_person(row.agenda_items):.2f}",
                quiet,
            ]
        else:
            yield ["participation", row.team.name, "not enough responses", "", "", "", "", quiet]
