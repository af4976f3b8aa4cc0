"""What leaving a team (or being deactivated) ends."""

from learning_hub.reviews.services import end_team_feeds
from learning_hub.selfchecks.services import withdraw_shares_on_leaving


def end_team_access(user, by, team=None):
    """On leaving ``team`` (with no team: on deactivation, every team), end what the
    team gave the person: their self-check results shared with its facilitators are
    withdrawn and their calendar feed addresses for it are deleted. Their home page
    lists only their current teams' actions and responses: those queries read the
    memberships, so nothing is kept to undo there."""
    withdraw_shares_on_leaving(user, by, team)
    end_team_feeds(user, team)
