"""Who may see or change review sessions: the loaders its routes use.

Each answers 404 outside the person's teams (so an object's existence is not revealed) and
403 inside them where the person may see but not change it.
"""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import Load, joinedload, lazyload, raiseload

from learning_hub.auth.models import Membership, Team, User
from learning_hub.cases.models import Case
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection
from learning_hub.reviews.models import (
    Action,
    AgendaItem,
    CalendarFeed,
    ReviewSeries,
    ReviewSession,
)

# A session with what its pages show, built once: the statement is the same on every
# request. Actions come with the item they were taken on, in the same statement (a
# chain of one-to-many joins: one row per action, or per item without one).
SESSION_PAGE = (
    sa.select(ReviewSession)
    .where(ReviewSession.id == sa.bindparam("session_id"))
    .options(
        joinedload(ReviewSession.series).raiseload("*"),
        # The team came with the viewer's memberships: taken from the session, not read.
        lazyload(ReviewSession.team),
        joinedload(ReviewSession.items).options(
            # Of these, the agenda shows a name, a case code and a link the viewer may open.
            joinedload(AgendaItem.raised_by).load_only(User.id, User.display_name),
            joinedload(AgendaItem.case).load_only(Case.id, Case.code, Case.team_id),
            joinedload(AgendaItem.reflection).load_only(
                Reflection.id, Reflection.author_id, Reflection.shared_team_id
            ),
            joinedload(AgendaItem.actions).options(
                joinedload(Action.owner).load_only(User.id, User.display_name), raiseload("*")
            ),
            raiseload("*"),
        ),
        Load(ReviewSession).raiseload("*"),
    )
)


def get_session_or_404(session_id, need="view"):
    """A review session of one of the viewer's teams, with what its pages show: its series
    and team, its agenda in order (each item with who raised it, its case, its
    reflection and the actions taken on it with their owners). Any other relationship
    raises.

    :raises NotFound: (404) outside the viewer's teams.
    :raises Forbidden: (403) for ``need="facilitate"`` by someone who does not facilitate it.
    """
    session = db.session.scalar(SESSION_PAGE, {"session_id": session_id})
    if session is None or not session.can_view(current_user):
        abort(404)
    if need == "facilitate" and not session.can_facilitate(current_user):
        abort(403)
    return session


def get_item_or_404(session, item_id):
    """Agenda item ``item_id`` of ``session`` (a session the viewer may see).

    :raises NotFound: (404) when the session has no such item.
    """
    item = next((item for item in session.items if item.id == item_id), None)
    if item is None:
        abort(404)
    return item


def get_action_or_404(action_id):
    """An action of one of the viewer's teams that they may mark done: its owner's, or any
    of a team they facilitate.

    :raises NotFound: (404) outside the viewer's teams.
    :raises Forbidden: (403) for someone else's action in a team they do not facilitate.
    """
    action = db.session.get(Action, action_id)
    if action is None or action.team_id not in current_user.team_ids():
        abort(404)
    if (
        action.owner_id != current_user.id
        and action.team_id not in current_user.facilitated_team_ids()
    ):
        abort(403)
    return action


def get_series_or_404(series_id, need="facilitate"):
    """A series of one of the viewer's teams; ``need="facilitate"`` (the default: the only
    page for a series ends it) asks that they facilitate it.

    :raises NotFound: (404) outside the viewer's teams.
    :raises Forbidden: (403) for ``need="facilitate"`` by someone who does not facilitate it.
    """
    series = db.session.get(ReviewSeries, series_id)
    if series is None or series.team_id not in current_user.team_ids():
        abort(404)
    if need == "facilitate" and series.team_id not in current_user.facilitated_team_ids():
        abort(403)
    return series


def get_team_of_feed_or_404(feed_token):
    """``(team id, team name)`` of a member's team calendar feed.

    :raises NotFound: (404) when the token is unknown, or its owner has left the team or
        is deactivated.
    """
    team = db.session.execute(
        sa.select(Team.id, Team.name)
        .join(CalendarFeed, CalendarFeed.team_id == Team.id)
        .join(
            Membership,
            (Membership.team_id == CalendarFeed.team_id)
            & (Membership.user_id == CalendarFeed.user_id),
        )
        .join(User, User.id == CalendarFeed.user_id)
        .where(CalendarFeed.token == feed_token, User.is_active.is_(True))
    ).first()
    if team is None:
        abort(404)
    return team


def get_person_of_feed_or_404(feed_token):
    """The active person whose own calendar feed (of all their teams) ``feed_token`` is.

    :raises NotFound: (404) when the token is unknown or its owner is deactivated.
    """
    feed = db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token == feed_token, CalendarFeed.team_id.is_(None)
        )
    )
    user = db.session.get(User, feed.user_id) if feed else None
    if user is None or not user.is_active:
        abort(404)
    return user
