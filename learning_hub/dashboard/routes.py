"""The person's home page and team pages; later, the leaders' drift dashboard."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from learning_hub.access import get_team_or_404, team_members, teams_for

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.get("/")
@login_required
def home():
    return render_template("dashboard/home.html", teams=teams_for(current_user))


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id):
    team = get_team_or_404(team_id)
    return render_template("dashboard/team.html", team=team, members=team_members(team))
