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


# (email, module slug, prompt id, days ago, shared with team, text)
REFLECTIONS = [
    (
        "staff@example.org",
        "what-non-attendance-communicates",
        None,
        190,
        None,
        [
            "A young man on my caseload missed three Monday appointments in a row. I had him down "
            "as not bothered. When we finally spoke on the phone he said Mondays are when he signs "
            "on, and the queue runs long; he was choosing between the two and chose the money.",
            "I think what I am noticing is how quickly I filled the silence with a story about "
            "him. The story suited the office, not him.",
            "Our letters say 'failure to attend' in bold. I would like the team to look at that "
            "wording together.",
            "Ask about practical clashes before anything else, and write down what he tells me in "
            "his words.",
        ],
    ),
    (
        "staff@example.org",
        "noticing-your-own-reactions",
        None,
        20,
        "North",
        [
            "Relief, honestly. A woman I work with cancelled twice and I felt lighter both times, "
            "because our sessions are hard going. I only noticed because I had not chased the "
            "second cancellation at all.",
            "Relief made me slower to follow up, which she could easily read as me giving up on "
            "her. That is the opposite of what I want her to take from us.",
            "I am going to bring this to supervision rather than sit on it, and I have put a "
            "reminder to call her on Thursday morning, which is when she said she is clearest.",
        ],
    ),
    (
        "staff@example.org",
        "designing-for-autonomy",
        1,
        6,
        None,
        [
            "We tell people their reporting day and time; they never get asked. I could at least "
            "offer two slots and let the person pick.",
        ],
    ),
    (
        "facilitator@example.org",
        "learning-never-stops",
        None,
        45,
        "North",
        [
            "Since the restructure our team meetings have become case allocation and nothing else. "
            "Nobody decided that; it crept in.",
            "I can see drift in how we write plans: they have got shorter and more about what we "
            "need from people than what they want from us.",
            "I am going to protect the first twenty minutes of each fortnightly meeting for one "
            "reflective question, and take the allocation list by email.",
        ],
    ),
]
RESPONSES = [
    (
        "facilitator@example.org",
        "noticing-your-own-reactions",
        18,
        "Thank you for naming relief; I think most of us feel it and few of us say it. Would you "
        "be happy for us to use this, anonymously, as the opening question at our next review?",
    ),
]
GOALS = [
    (
        "staff@example.org",
        "Ask every new person how they want to be contacted, and record it in "
        "their words before the second appointment.",
        ["responsive-contact", "autonomy"],
        ["co-producing-engagement-plans", "recording-every-contact-attempt"],
        60,
        "North",
    ),
]


def seed_learning(library, now=None):
    """Progress, reflections (one old enough to be due a revisit), a response and a goal."""
    from datetime import timedelta

    from learning_hub.database import utcnow
    from learning_hub.modules import services as modules
    from learning_hub.modules.models import Reflection

    now = now or utcnow()
    teams = {t.name: t for t in db.session.scalars(db.select(Team))}
    for email, slug, limit, days_ago, team_name, texts in REFLECTIONS:
        user, module = find_user_by_email(email), library.get(slug)
        if module is None or db.session.scalar(
            db.select(Reflection.id)
            .where(Reflection.author_id == user.id, Reflection.module_slug == slug)
            .limit(1)
        ):
            continue
        for prompt, text in list(zip(module.prompts, texts, strict=False))[:limit]:
            reflection = modules.write_reflection(user, module, prompt, text, teams.get(team_name))
            when = now - timedelta(days=days_ago)
            reflection.created_at = reflection.updated_at = when
            if reflection.shared_at:
                reflection.shared_at = when
        progress = modules._progress_by_slug(user.id).get(slug)
        if progress is not None:
            progress.started_at = now - timedelta(days=days_ago)
            if progress.reflected_at:
                progress.reflected_at = now - timedelta(days=days_ago)
    for email, slug, days_ago, text in RESPONSES:
        user = find_user_by_email(email)
        reflection = db.session.scalar(
            db.select(Reflection)
            .where(Reflection.module_slug == slug, Reflection.shared_team_id.is_not(None))
            .limit(1)
        )
        if reflection is not None and not reflection.responses:
            response = modules.respond(reflection, user, text)
            response.created_at = now - timedelta(days=days_ago)
    for email, text, principles, slugs, days_ahead, team_name in GOALS:
        user = find_user_by_email(email)
        if not modules.goals_of(user):
            modules.save_goal(
                user,
                description=text,
                principles=principles,
                module_slugs=slugs,
                target_on=(now + timedelta(days=days_ahead)).date(),
                share_team=teams.get(team_name),
            )
    db.session.flush()


def database_is_empty():
    return db.session.scalar(db.select(db.func.count(User.id))) == 0
