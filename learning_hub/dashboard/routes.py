"""The person's home page, team pages, and the leaders' drift dashboard."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from learning_hub.access import get_team_or_404, role_required, team_members, teams_for
from learning_hub.auth.models import Team
from learning_hub.cases import services as cases
from learning_hub.content import PRINCIPLES
from learning_hub.core import audit
from learning_hub.core.disclosure import HIDDEN, WHY_HIDDEN, one_decimal
from learning_hub.core.extensions import cache, db
from learning_hub.dashboard import services
from learning_hub.modules import services as modules
from learning_hub.reviews import services as reviews
from learning_hub.selfchecks import drift
from learning_hub.selfchecks import services as selfchecks
from learning_hub.selfchecks.forms import CadenceForm
from learning_hub.selfchecks.profile import chart_and_rows, series_of

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.get("/")
@login_required
def home():
    library = current_app.extensions["content"].library
    statuses = modules.module_statuses(current_user, library)
    in_progress = [
        (m, statuses[m.slug])
        for m in library
        if statuses[m.slug].status == modules.Status.IN_PROGRESS
    ]
    drifting = selfchecks.drifting_principles(current_user, list(PRINCIPLES))
    responses, case_responses = cases.responses_to(current_user)
    actions, actions_total = reviews.open_actions_for(current_user)
    return render_template(
        "dashboard/home.html",
        teams=teams_for(current_user),
        in_progress=in_progress,
        suggestions=modules.revisit_suggestions(
            current_user, library, statuses=statuses, drifting_principles=drifting
        )[:3],
        responses=responses,
        reflected=sum(1 for s in statuses.values() if s.status != modules.Status.NOT_STARTED),
        library_size=len(library),
        reminder=selfchecks.reminder_for(current_user),
        draft=selfchecks.draft_summary(current_user),
        case_responses=case_responses,
        next_session=reviews.next_session_for(current_user),
        actions=actions,
        actions_total=actions_total,
    )


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id):
    team = get_team_or_404(team_id)
    return render_template("dashboard/team.html", team=team, members=team_members(team))


class RangeError(ValueError):
    """A filter the dashboard cannot answer: ``field`` names the input in error."""

    def __init__(self, message, field):
        super().__init__(message)
        self.field = field


# Months as the month inputs send them. The last year stops short of 9999, whose December
# has no month after it for a range to end before.
MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
FIRST_YEAR, LAST_YEAR = 1900, 9998


def _month(name, default):
    value = request.args.get(name, "").strip()
    if not value:
        return default
    found = MONTH.fullmatch(value)
    year, month = (int(part) for part in found.groups()) if found else (0, 0)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise RangeError(
            f"Enter months as YYYY-MM between {FIRST_YEAR} and {LAST_YEAR}, "
            f"for example {date.today():%Y-%m}",
            name,
        )
    return date(year, month, 1)


MAX_MONTHS = 60


def _months(first, last):
    """How many months from ``first`` to ``last``, both included (counted, not listed)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class DriftFilter:
    """The months a drift page shows and the baseline a leader set, from the query string;
    or, when they cannot be answered, the message and the input it is about (and then the
    page shows no figures). ``first`` and ``last`` are then the default range."""

    first: date
    last: date
    baseline: tuple | None = None
    error: str | None = None
    field: str | None = None


def _dashboard_range():
    """The ``DriftFilter`` of the query string."""
    default_first, default_last = drift.default_range(date.today())
    try:
        return _checked_range(default_first, default_last)
    except RangeError as exc:
        return DriftFilter(default_first, default_last, error=str(exc), field=exc.field)


def _checked_range(default_first, default_last):
    first, last = _month("from", default_first), _month("to", default_last)
    baseline = (_month("baseline_from", None), _month("baseline_to", None))
    if first > last:
        raise RangeError("The start month must come before the end.", "from")
    if _months(first, last) > MAX_MONTHS:
        raise RangeError("Choose a range of five years or less.", "from")
    if any(baseline) and not all(baseline):
        missing = "baseline_to" if baseline[0] else "baseline_from"
        raise RangeError("Give both baseline months, or neither.", missing)
    if all(baseline) and baseline[0] > baseline[1]:
        raise RangeError("The baseline must start before it ends.", "baseline_from")
    if all(baseline) and _months(*baseline) > MAX_MONTHS:
        raise RangeError("Choose a baseline of five years or less.", "baseline_from")
    return DriftFilter(first, last, baseline if all(baseline) else None)


@bp.context_processor
def disclosure():
    """What the pages of group figures (the leaders' and a team's own fidelity page, all in
    this blueprint) show them with: bands, one decimal, the words for a hidden figure."""
    return {
        "band_of": services.people_band,
        "one_decimal": one_decimal,
        "signed": services.signed,
        "HIDDEN": HIDDEN,
        "WHY_HIDDEN": WHY_HIDDEN,
        "min_group": current_app.config["MIN_GROUP_SIZE"],
    }


@bp.get("/dashboard/drift")
@role_required("leader")
def drift_dashboard():
    found = _dashboard_range()
    body = dashboard_body(
        found.first,
        found.last,
        found.baseline,
        found.error,
        found.field,
        tuple(request.args.items()),
    )
    status = 400 if found.error else 200
    return render_template("dashboard/drift.html", body=body, error=found.error), status


@cache.memoize()
def dashboard_body(first, last, baseline, error, field, args):
    """The dashboard's HTML below the navigation, as a string.

    It shows aggregates only and is the same for every leader: cached for
    CACHE_DEFAULT_TIMEOUT seconds, so it may be that old. With a filter ``error`` it
    holds the form and the error (about the input ``field``), and no figures.
    """
    return Markup(
        render_template(
            "dashboard/_drift_body.html",
            dashboard=None if error else services.build_dashboard(first, last, baseline),
            found=DriftFilter(first, last, baseline, error, field),
            principles=PRINCIPLES,
            kinds=services.kinds(),
            args=dict(args),
            Signal=drift.Signal,
        )
    )


@bp.get("/dashboard/drift/teams/<int:team_id>")
@role_required("leader")
def drift_team(team_id):
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    found = _dashboard_range()
    context = {"team": team, "found": found, "args": request.args, "principles": PRINCIPLES}
    if found.error:
        return render_template("dashboard/drift_team.html", **context), 400
    return render_template("dashboard/drift_team.html", **context, **_team_figures(team, found))


def _team_figures(team, found):
    """One team's drift per principle, its chart and the chart's table, for ``found``."""
    results = selfchecks.team_drift(
        [team], list(PRINCIPLES), found.first, found.last, baseline_range=found.baseline
    )[team.id]
    periods = drift.month_range(found.first, found.last)
    chart, _ = chart_and_rows(periods, series_of(results), PRINCIPLES)
    return {
        "results": results,
        "baselines": services.baselines([team], {team.id: results}),
        "chart": chart,
        "rows": services.figure_rows(periods, results),
        "periods": periods,
    }


@bp.get("/dashboard/drift/principles/<principle>")
@role_required("leader")
def drift_principle(principle):
    if principle not in PRINCIPLES:
        abort(404)
    found = _dashboard_range()
    context = {
        "principle": principle,
        "label": PRINCIPLES[principle],
        "found": found,
        "args": request.args,
    }
    if found.error:
        return render_template("dashboard/drift_principle.html", **context), 400
    teams = db.session.scalars(db.select(Team).order_by(Team.name)).all()
    results = selfchecks.team_drift(
        teams, [principle], found.first, found.last, baseline_range=found.baseline
    )
    periods = drift.month_range(found.first, found.last)
    by_team = {team.name: results[team.id][principle] for team in teams}
    chart, _ = chart_and_rows(periods, series_of(by_team), {t.name: t.name for t in teams})
    return render_template(
        "dashboard/drift_principle.html",
        **context,
        teams=teams,
        by_team=by_team,
        baselines=services.baselines(teams, results),
        chart=chart,
        rows=services.figure_rows(periods, by_team),
        periods=periods,
    )


@bp.get("/teams/<int:team_id>/fidelity")
@login_required
def team_drift(team_id):
    """The team's fidelity picture, for its facilitators: its drift per principle and its
    participation depth over the last twelve months, under the same rules as the
    leaders' pages, the results members have shared with them, and the team's
    self-check reminder cadence."""
    team = get_team_or_404(team_id, need="facilitate")
    first, last = drift.default_range(date.today())
    found = DriftFilter(first, last)
    return render_template(
        "dashboard/team_drift.html",
        team=team,
        found=found,
        principles=PRINCIPLES,
        participation=services.participation([team], first, last)[0],
        kinds=services.kinds(),
        shared=selfchecks.shared_with_team(team),
        cadence_form=CadenceForm(weeks=team.selfcheck_cadence_weeks or 0),
        **_team_figures(team, found),
    )


def _spreadsheet_safe(cell):
    """Text a spreadsheet would run as a formula (a team named "=HYPERLINK(...)") gets a
    leading apostrophe; signed figures such as "+0.12" stay numbers."""
    text = str(cell)
    if text[:1] not in ("=", "+", "-", "@", "\t", "\r"):
        return cell
    try:
        float(text)
    except ValueError:
        return "'" + text
    return cell


@bp.get("/dashboard/drift.csv")
@role_required("leader")
def drift_csv():
    found = _dashboard_range()
    if found.error:
        return Response(found.error + "\n", status=400, mimetype="text/plain")
    first, last = found.first, found.last
    dashboard = services.build_dashboard(first, last, found.baseline)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [_spreadsheet_safe(cell) for cell in row] for row in services.csv_rows(dashboard)
    )
    audit.record_now("dashboard.exported", detail=f"{first:%Y-%m}..{last:%Y-%m}")
    filename = f"fidelity-drift-{first:%Y-%m}-to-{last:%Y-%m}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
