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
    # Colleagues who make the teams big enough for aggregates (MIN_GROUP_SIZE).
    ("priya@example.org", "Priya Patel", Role.STAFF, [("North", "member")]),
    ("tom@example.org", "Tom Okafor", Role.STAFF, [("North", "member")]),
    ("grace@example.org", "Grace Lindqvist", Role.STAFF, [("North", "member")]),
    ("south.facilitator@example.org", "Sofia Reyes", Role.STAFF, [("South", "facilitator")]),
    ("dan@example.org", "Dan Mwangi", Role.STAFF, [("South", "member")]),
    ("hana@example.org", "Hana Novak", Role.STAFF, [("South", "member")]),
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
        progress = modules.progress_record(user, module)
        if progress is not None:
            progress.started_at = now - timedelta(days=days_ago)
            if progress.reflected_at:
                progress.reflected_at = now - timedelta(days=days_ago)
    for email, slug, days_ago, text in RESPONSES:
        user = find_user_by_email(email)
        # A reflection shared with one of the responder's own teams (other
        # organisations' data, such as a generated one, may share the database).
        reflection = db.session.scalar(
            db.select(Reflection)
            .where(
                Reflection.module_slug == slug,
                Reflection.shared_team_id.in_(user.team_ids()),
            )
            .order_by(Reflection.id)
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


# North drifts on these two principles over the last five months of the year.
NORTH_DRIFT = {"responsive-contact", "reflective-learning"}
SELFCHECK_NOTES = {
    "responsive-contact": "Caseloads went up in the spring and I stopped ringing round after "
    "missed appointments; letters went out instead.",
    "reflective-learning": "Team reflection has been swallowed by allocation meetings.",
    "autonomy": "Offered two appointment slots to everyone new this month.",
}


def seed_selfchecks(library, now=None):
    """A year of monthly-ish self-checks for both demo teams; North drifts on two principles."""
    import random
    from datetime import timedelta

    from learning_hub.database import utcnow
    from learning_hub.selfchecks import services as selfchecks
    from learning_hub.selfchecks.models import CheckStatus, SelfCheck, SelfCheckAnswer

    instrument = library.instrument
    if instrument is None:
        return
    now = now or utcnow()
    rng = random.Random(2026)
    teams = {t.name: t for t in db.session.scalars(db.select(Team))}
    teams["North"].selfcheck_cadence_weeks = teams["North"].selfcheck_cadence_weeks or 8
    for email, _name, _role, memberships in PEOPLE:
        if not memberships:
            continue
        user = find_user_by_email(email)
        if db.session.scalar(db.select(SelfCheck.id).where(SelfCheck.user_id == user.id).limit(1)):
            continue
        team_name = memberships[0][0]
        level = {s.key: rng.uniform(2.4, 3.4) for s in instrument.sections}
        # Roughly every six weeks across the last year, the newest about two weeks ago.
        days_ago = 365
        while days_ago > 10:
            submitted = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
            progress = 1 - days_ago / 365
            check = SelfCheck(
                user_id=user.id,
                instrument_slug=instrument.slug,
                instrument_version=instrument.version,
                status=CheckStatus.SUBMITTED,
                notes={},
                started_at=submitted,
                updated_at=submitted,
                submitted_at=submitted,
            )
            for section in instrument.sections:
                mean = level[section.key]
                if team_name == "North" and section.key in NORTH_DRIFT and progress > 0.5:
                    mean -= 3.2 * (progress - 0.5)
                elif team_name == "South":
                    mean += 0.4 * progress
                for item in section.items:
                    rating = round(min(4, max(0, rng.gauss(mean, 0.45))))
                    check.answers.append(
                        SelfCheckAnswer(item_id=item.id, principle=item.principle, rating=rating)
                    )
            if email == "staff@example.org" and days_ago < 60:
                check.notes = dict(SELFCHECK_NOTES)
            db.session.add(check)
            db.session.flush()
            selfchecks.record_period_scores(check)
            days_ago -= rng.randint(35, 50)
    db.session.flush()


DEMO_AUTHORS = {
    "staff": "staff@example.org",
    "facilitator": "facilitator@example.org",
    "outsider": "outsider@example.org",
    "south.facilitator": "south.facilitator@example.org",
    "priya": "priya@example.org",
    "tom": "tom@example.org",
    "grace": "grace@example.org",
    "dan": "dan@example.org",
    "hana": "hana@example.org",
}


def seed_cases(today=None):
    """About twelve anonymised cases per demo team, with timelines, plans and reflections."""
    from datetime import date, timedelta

    from learning_hub.cases import services as cases
    from learning_hub.cases.demo_cases import DEMO_CASES
    from learning_hub.cases.models import Case

    today = today or date.today()
    for team_name, items in DEMO_CASES.items():
        team = db.session.scalar(db.select(Team).where(Team.name == team_name))
        if db.session.scalar(db.select(Case.id).where(Case.team_id == team.id).limit(1)):
            continue
        authors = {key: find_user_by_email(email) for key, email in DEMO_AUTHORS.items()}
        opener = authors["staff" if team_name == "North" else "outsider"]
        for item in items:
            case = cases.create_case(
                team,
                opener,
                gender=item["gender"],
                age_band=item["age_band"],
                context=item["context"],
            )
            opened = today - timedelta(days=item["opened_days_ago"])
            case.created_at = _at(opened)
            for days_ago, method, initiated_by, outcome, note in item["timeline"]:
                cases.record_entry(
                    case,
                    opener,
                    occurred_on=today - timedelta(days=days_ago),
                    method=method,
                    initiated_by=initiated_by,
                    outcome=outcome,
                    note=note,
                )
            for kind, description in item["triggers"]:
                cases.add_trigger(case, opener, kind=kind, description=description)
            if item.get("pattern"):
                cases.confirm_pattern(case, opener, item["pattern"])
            plan = item.get("plan")
            if plan:
                cases.save_plan(
                    case,
                    opener,
                    made_with_person=plan["made_with_person"],
                    preferred_times=plan["preferred_times"],
                    preferred_methods=plan["preferred_methods"],
                    others_may_contact=plan["others_may_contact"],
                    during_disengagement=plan["during_disengagement"],
                    reminders=plan["reminders"],
                    agreed_on=today - timedelta(days=plan["agreed_days_ago"]),
                    review_on=today + timedelta(days=plan["review_in_days"]),
                )
            reflection = item.get("reflection")
            if reflection:
                author = authors.get(reflection["author"]) or opener
                written = cases.write_reflection(
                    case,
                    author,
                    identify=reflection["identify"],
                    analyse=reflection["analyse"],
                    plan=reflection["plan"],
                    feelings=reflection["feelings"],
                    other_feeling=reflection.get("other_feeling", ""),
                )
                for responder, body in reflection.get("responses", []):
                    cases.respond(written, authors.get(responder) or opener, body)
            case.updated_at = _at(today - timedelta(days=item["timeline"][-1][0]))
            if item.get("closed"):
                case.close()
    db.session.flush()


REVIEW_ITEMS = [
    (
        "system-question",
        "Where do we confuse attendance with participation?",
        "We count who turns up, not what happens. Two cases this month attended every week "
        "and nothing moved.",
        "Try one session a month that starts from the person's own agenda.",
    ),
    (
        "case",
        "A run of missed Mondays",
        "Mondays clash with signing on. The letters say "
        "'failure to attend' in bold, which reads as a threat.",
        "Offer Wednesday mornings; reword the appointment letter together.",
    ),
]


def seed_reviews(now=None):
    """A fortnightly series for each demo team, with past sessions, notes and open actions."""
    from datetime import date, datetime, time, timedelta

    from learning_hub.cases.models import Case
    from learning_hub.reviews import services as reviews
    from learning_hub.reviews.models import ReviewSeries

    today = date.today()
    for team in db.session.scalars(db.select(Team).order_by(Team.name)):
        if db.session.scalar(
            db.select(ReviewSeries.id).where(ReviewSeries.team_id == team.id).limit(1)
        ):
            continue
        facilitator = next((m.user for m in team.memberships if m.is_facilitator), None)
        if facilitator is None:
            continue
        members = [m.user for m in team.memberships]
        start = today - timedelta(days=42)
        start += timedelta(days=(1 - start.weekday()) % 7)  # a Tuesday
        series = reviews.schedule(
            team,
            facilitator,
            title="Fortnightly team reflection",
            location="Meeting room 2, or the video link in the team channel",
            local_start=datetime.combine(start, time(10, 0)),
            duration_minutes=90,
            rule_text="FREQ=WEEKLY;INTERVAL=2",
            until=None,
        )
        case = db.session.scalar(db.select(Case).where(Case.team_id == team.id).limit(1))
        past = [s for s in series.sessions if s.starts_at.date() < today]
        for number, session in enumerate(past):
            kind, title, notes, decision = REVIEW_ITEMS[number % len(REVIEW_ITEMS)]
            raiser = members[number % len(members)]
            item = reviews.propose_item(
                session,
                raiser,
                kind=kind,
                title=f"{title} ({case.code})" if kind == "case" and case else title,
                timebox=20,
                case=case if kind == "case" else None,
            )
            reviews.save_notes(item, notes=notes, decisions=decision, version=item.version)
            action = reviews.add_action(
                session,
                facilitator,
                item=item,
                owner=members[(number + 1) % len(members)],
                description="Draft a plainer appointment letter with two people we work with"
                if kind == "case"
                else "Bring one example of participation without attendance",
                due_on=today + timedelta(days=7 + number),
            )
            if number == 0:
                action.mark_done("Shared at the next session.")
    db.session.flush()


def _at(day):
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def database_is_empty():
    return db.session.scalar(db.select(db.func.count(User.id))) == 0
