"""The demo organisation that `make run` and `flask seed-demo` load.

Safe to run twice: people and teams are looked up by email and name before
anything is created. Later capabilities add their own demo material here.
"""

from learning_hub.admin.services import create_team, set_membership
from learning_hub.auth.models import Role, Team, User
from learning_hub.auth.services import find_user_by_email, set_password
from learning_hub.extensions import db

TEAMS = [
    ("North", "Wraparound and complex-needs practitioners covering the northern localities."),
    ("South", "Probation and housing-support practitioners covering the southern localities."),
]

PEOPLE = [
    # email, display name, global role, team memberships
    ("admin@example.org", "Ada Admin", Role.ADMIN, []),
    ("leader@example.org", "Lee Leader", Role.LEADER, []),
    ("facilitator@example.org", "Fran Facilitator", Role.STAFF, [("North", "facilitator")]),
    ("staff@example.org", "Sam Staff", Role.STAFF, [("North", "member")]),
    ("outsider@example.org", "Owen Outsider", Role.STAFF, [("South", "member")]),
]


def seed_demo(password):
    """Create (or top up) the demo teams and people; returns the demo logins."""
    teams = {}
    for name, description in TEAMS:
        team = db.session.scalar(db.select(Team).where(Team.name == name))
        if team is None:
            team = create_team(
                name=name, description=description, timezone="Europe/London", by=None
            )
        teams[name] = team
    logins = []
    for email, display_name, role, memberships in PEOPLE:
        user = find_user_by_email(email)
        if user is None:
            user = User(email=email, display_name=display_name, role=role)
            db.session.add(user)
            set_password(user, password)
            db.session.flush()
        for team_name, team_role in memberships:
            if user.membership_in(teams[team_name].id) is None:
                set_membership(teams[team_name], user, team_role, by=None)
        logins.append((email, role.value, ", ".join(f"{t} ({r})" for t, r in memberships)))
    db.session.flush()
    return logins


def database_is_empty():
    return db.session.scalar(db.select(db.func.count(User.id))) == 0
