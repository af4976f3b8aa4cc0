"""Who may see or change what: role decorators and per-object loaders, in one place.

Two layers. ``role_required`` guards whole pages by global role (anonymous
people are sent to log in, a wrong role gets 403). The ``get_*_or_404`` loaders
guard single objects: outside the viewer's teams an object answers 404 so its
existence is not revealed; inside the team but not theirs to change, 403.
List pages use the same scoping functions as the loaders.
"""

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from learning_hub.auth.models import Membership, Role, Team, User
from learning_hub.core.database import read
from learning_hub.core.extensions import db


def role_required(*roles):
    """Allow only logged-in people whose global role is one of ``roles``."""
    allowed = {Role(r) for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_team_ids(user):
    """The teams whose material ``user`` may see: the ones they belong to."""
    if not user.is_authenticated:
        return set()
    return user.team_ids()


def teams_for(user):
    """The viewer's teams, by name (the list twin of ``get_team_or_404``)."""
    if not user.is_authenticated:
        return []
    return sorted((m.team for m in user.memberships), key=lambda team: team.name.lower())


def get_team_or_404(team_id, need="view"):
    """A team the current person belongs to; ``need="facilitate"`` asks for facilitation.

    :raises NotFound: (404) for a team that does not exist or is not theirs.
    :raises Forbidden: (403) for ``need="facilitate"`` when they do not facilitate it.
    """
    team = db.session.get(Team, team_id)  # their own teams came with them: no statement
    if team is None or not team.can_view(current_user):
        abort(404)
    if need == "facilitate" and not team.can_facilitate(current_user):
        abort(403)
    return team


def team_members(team):
    """Memberships of a team with their people, sorted by name."""
    return sorted(
        db.session.scalars(
            db.select(Membership)
            .where(Membership.team_id == team.id)
            .options(db.joinedload(Membership.user))
        ),
        key=lambda m: m.user.display_name.lower(),
    )


# (user id, name) of a team's members, sorted by name (bound parameter ``team_id``).
MEMBER_CHOICES = (
    sa.select(User.id, User.display_name)
    .join(Membership, Membership.user_id == User.id)
    .where(Membership.team_id == sa.bindparam("team_id"))
    .order_by(sa.func.lower(User.display_name), User.id)
)


def member_choices(team):
    """(user id, name) of a team's members, sorted by name, for an owner picker.

    Plain rows rather than memberships with their people: pages that only need a
    list of names do not load whole objects.
    """
    return [tuple(row) for row in read(MEMBER_CHOICES, {"team_id": team.id})]


def load_or_404(model, object_id, need="view"):
    """The ``model`` row ``object_id`` if the current person may see it (its ``can_view``).

    ``need="edit"`` also asks its ``can_edit``.

    :raises NotFound: (404) when there is no such row or it is not theirs to see.
    :raises Forbidden: (403) when they may see it but not change it.
    """
    obj = db.session.get(model, object_id)
    if obj is None or not obj.can_view(current_user):
        abort(404)
    if need == "edit" and not obj.can_edit(current_user):
        abort(403)
    return obj
