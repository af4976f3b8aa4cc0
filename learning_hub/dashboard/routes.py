"""The person's home page and team pages; later, the leaders' drift dashboard."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from learning_hub.access import get_team_or_404, team_members, teams_for
from learning_hub.modules import services as modules

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
    return render_template(
        "dashboard/home.html",
        teams=teams_for(current_user),
        in_progress=in_progress,
        suggestions=modules.revisit_suggestions(current_user, library, statuses=statuses)[:3],
        responses=modules.recent_responses_to(current_user),
        reflected=sum(1 for s in statuses.values() if s.status != modules.Status.NOT_STARTED),
        library_size=len(library),
    )


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id):
    team = get_team_or_404(team_id)
    return render_template("dashboard/team.html", team=team, members=team_members(team))
