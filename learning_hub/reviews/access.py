"""Who may see or change review sessions: the loaders its routes use.

Each answers 404 outside the person's teams (so an object's existence is not revealed) and
403 inside them where the person may see but not change it.
"""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from learning_hub.core.extensions import db
from learning_hub.reviews.models import ReviewSession


def get_session_or_404(session_id, need="view"):
    """A review session of one of the viewer's teams, with its team, series and agenda items
    (what the forms that change it use).

    :raises NotFound: (404) outside the viewer's teams.
    :raises Forbidden: (403) for ``need="facilitate"`` by someone who does not facilitate it.
    """
    session = (
        db.session.execute(
            sa.select(ReviewSession)
            .where(ReviewSession.id == session_id)
            .options(
                joinedload(ReviewSession.team),
                joinedload(ReviewSession.series),
                joinedload(ReviewSession.items),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if session is None or not session.can_view(current_user):
        abort(404)
    if need == "facilitate" and not session.can_facilitate(current_user):
        abort(403)
    return session
