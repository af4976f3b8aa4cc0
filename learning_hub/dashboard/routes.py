"""The person's home page, team pages, and the leaders' drift dashboard."""

import csv
import io
import re
from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from learning_hub.access import get_team_or_404, role_required, team_members, teams_for
from learning_hub.auth.models import Team
from learning_hub.cases import services as cases
from learning_hub.content import PRINCIPLES
from learning_hub.core import audit
from learning_hub.core.extensions import cache, db
from learning_hub.dashboard import services
from learning_hub.modules import services as modules
from learning_hub.reviews import services as reviews
from learning_hub.selfchecks import drift
from learning_hub.selfchecks import services as selfchecks
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
    pass


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
            f"for example {date.today():%Y-%m}"
        )
    return date(year, month, 1)


MAX_MONTHS = 60


def _months(first, last):
    """How many months from ``first`` to ``last``, both included (counted, not listed)."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _dashboard_range():
    """(first, last, baseline range or None, error message or None) from the query string."""
    today = date.today()
    default_last = drift.period_of(today)
    default_first = date(today.year - 1, today.month, 1)
    try:
        first, last = _month("from", default_first), _month("to", default_last)
        baseline = (_month("baseline_from", None), _month("baseline_to", None))
    except RangeError as exc:
        return default_first, default_last, None, str(exc)
    if first > last:
        return default_first, default_last, None, "The start month must come before the end."
    if _months(first, last) > MAX_MONTHS:
        return default_first, default_last, None, "Choose a range of five years or less."
    if any(baseline) and not all(baseline):
        return first, last, None, "Give both baseline months, or neither."
    if all(baseline) and baseline[0] > baseline[1]:
        return first, last, None, "The baseline must start before it ends."
    if all(baseline) and _months(*baseline) > MAX_MONTHS:
        return first, last, None, "Choose a baseline of five years or less."
    return first, last, baseline if all(baseline) else None, None


@bp.get("/dashboard/drift")
@role_required("leader")
def drift_dashboard():
    first, last, baseline, error = _dashboard_range()
    body = dashboard_body(first, last, baseline, error, tuple(request.args.items()))
    return render_template("dashboard/drift.html", body=body), 400 if error else 200


@cache.memoize()
def dashboard_body(first, last, baseline, error, args):
    """The dashboard's HTML below the navigation, as a string.

    It shows aggregates only and is the same for every leader: cached for
    CACHE_DEFAULT_TIMEOUT seconds, so it may be that old.
    """
    return Markup(
        render_template(
            "dashboard/_drift_body.html",
            dashboard=services.build_dashboard(first, last, baseline),
            principles=PRINCIPLES,
            error=error,
            args=dict(args),
            baseline=baseline,
            min_group=current_app.config["MIN_GROUP_SIZE"],
            Signal=drift.Signal,
        )
    )


@bp.get("/dashboard/drift/teams/<int:team_id>")
@role_required("leader")
def drift_team(team_id):
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    first, last, baseline, error = _dashboard_range()
    results = selfchecks.team_drift([team], list(PRINCIPLES), first, last, baseline_range=baseline)[
        team.id
    ]
    periods = drift.month_range(first, last)
    chart, rows = chart_and_rows(periods, series_of(results), PRINCIPLES)
    return render_template(
        "dashboard/drift_team.html",
        team=team,
        results=results,
        chart=chart,
        rows=rows,
        periods=periods,
        principles=PRINCIPLES,
        args=request.args,
        error=error,
        min_group=current_app.config["MIN_GROUP_SIZE"],
    ), 400 if error else 200


@bp.get("/dashboard/drift/principles/<principle>")
@role_required("leader")
def drift_principle(principle):
    if principle not in PRINCIPLES:
        abort(404)
    first, last, baseline, error = _dashboard_range()
    teams = db.session.scalars(db.select(Team).order_by(Team.name)).all()
    results = selfchecks.team_drift(teams, [principle], first, last, baseline_range=baseline)
    periods = drift.month_range(first, last)
    by_team = {team.name: results[team.id][principle] for team in teams}
    chart, rows = chart_and_rows(periods, series_of(by_team), {t.name: t.name for t in teams})
    return render_template(
        "dashboard/drift_principle.html",
        principle=principle,
        label=PRINCIPLES[principle],
        teams=teams,
        by_team=by_team,
        chart=chart,
        rows=rows,
        periods=periods,
        args=request.args,
        error=error,
        min_group=current_app.config["MIN_GROUP_SIZE"],
    ), 400 if error else 200


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
    first, last, baseline, error = _dashboard_range()
    if error:
        return Response(error + "\n", status=400, mimetype="text/plain")
    dashboard = services.build_dashboard(first, last, baseline)
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
