"""Team and membership administration."""

from learning_hub.auth.models import Membership, MembershipRole, Role, Team
from learning_hub.core import audit
from learning_hub.core.extensions import db
from learning_hub.privacy import leaving


def create_team(*, name, description, timezone, by):
    team = Team(name=name.strip(), description=(description or "").strip(), timezone=timezone)
    db.session.add(team)
    db.session.flush()
    audit.record("team.created", team, actor=by)
    return team


def update_team(team, *, name, description, timezone, by):
    team.name = name.strip()
    team.description = (description or "").strip()
    team.timezone = timezone
    audit.record("team.updated", team, actor=by)


def set_membership(team, user, role, by):
    """Add ``user`` to ``team`` with ``role``, or change the role they already have."""
    membership = db.session.scalar(
        db.select(Membership).where(Membership.team_id == team.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(team=team, user=user, role=MembershipRole(role))
        db.session.add(membership)
        action = "membership.added"
    else:
        membership.role = MembershipRole(role)
        action = "membership.changed"
    db.session.flush()
    audit.record(action, team, actor=by, detail=f"user={user.id} role={role}")
    return membership


def remove_membership(team, user, by):
    membership = db.session.scalar(
        db.select(Membership).where(Membership.team_id == team.id, Membership.user_id == user.id)
    )
    if membership is None:
        raise ValueError(f"{user.display_name} is not in {team.name}")
    db.session.delete(membership)
    leaving.end_team_access(user, by, team)
    audit.record("membership.removed", team, actor=by, detail=f"user={user.id}")


def change_role(user, role, by):
    """Change a person's global role; their sessions end so the new role applies at once."""
    if user.id == by.id:
        raise ValueError("You cannot change your own role; ask another admin")
    user.role = Role(role)
    user.end_sessions()
    audit.record("user.role_changed", user, actor=by, detail=f"role={role}")


def deactivate(user, by):
    if not user.is_active:
        raise ValueError(f"{user.display_name} is already deactivated")
    user.is_active = False
    user.end_sessions()
    leaving.end_team_access(user, by)
    audit.record("user.deactivated", user, actor=by)


def reactivate(user, by):
    if user.is_active:
        raise ValueError(f"{user.display_name} is already active")
    user.is_active = True
    audit.record("user.reactivated", user, actor=by)
