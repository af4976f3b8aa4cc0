"""A large, deterministic generated organisation for benchmarks and growth checks.

Everything goes in through bulk inserts (SQLAlchemy Core executemany), not the
ORM one row at a time. The defaults (40 teams, 800 people, three years) give
about 20,000 self-checks (480,000 answers), 8,000 anonymised cases with 80,000 timeline entries,
30,000 module reflections with 10,000 peer responses and 2,000 review
sessions; ``scale`` multiplies that history while the people stay the same.

The rows are what the app itself would have stored had people done the same
things through its pages: per-case rollups (spells, suggested pattern) are
computed with the app's own rule as of the last timeline write, the teams'
contact tallies count the entries, HTML columns hold the output of the one
Markdown pipeline, module progress and response
counters follow the modules services, and session times come from the
reviews services' own recurrence expansion. The same seed gives the same
organisation (the dates move with today).
"""

import bisect
import random
import time as clock
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from learning_hub.auth.models import Membership, MembershipSpell, Team, User
from learning_hub.auth.passwords import hash_password
from learning_hub.cases import spells as spell_rule
from learning_hub.cases.models import (
    AGE_BANDS,
    CODE_ALPHABET,
    FEELINGS,
    Case,
    CaseReflection,
    CaseResponse,
    ContactTally,
    EngagementPlan,
    Gender,
    Initiator,
    Method,
    Outcome,
    Pattern,
    TimelineEntry,
    Trigger,
    TriggerKind,
)
from learning_hub.core import markdown
from learning_hub.core.database import on_postgresql, utcnow
from learning_hub.core.extensions import db
from learning_hub.dashboard import participation
from learning_hub.modules.models import ModuleProgress, Reflection, ReflectionResponse
from learning_hub.reviews.models import Action, AgendaItem, ItemKind, ReviewSeries, ReviewSession
from learning_hub.reviews.services import SYSTEM_QUESTIONS, ScheduleError, expand
from learning_hub.selfchecks.drift import period_of
from learning_hub.selfchecks.models import PeriodScore, SelfCheck, SelfCheckAnswer

TEAM_NAMES = [
    "Riverside",
    "Harbour",
    "Moorland",
    "Castlegate",
    "Eastfield",
    "Westbrook",
    "Northgate",
    "Southmead",
    "Hillside",
    "Meadowbank",
    "Quayside",
    "Oakwood",
    "Ashford",
    "Brookvale",
    "Cliftonville",
    "Dalesend",
]

# Volumes per person-year (self-checks, cases, reflections, responses); sessions
# follow from each team's schedules. The defaults give the round figures above.
CHECKS_PER_PERSON_YEAR = 25 / 3
CASES_PER_PERSON_YEAR = 10 / 3
ENTRIES_PER_CASE = 10
REFLECTIONS_PER_PERSON_YEAR = 12.5
RESPONSES_PER_PERSON_YEAR = 25 / 6

# --- texts --------------------------------------------------------------------------
# Short anonymised practice texts: no names, places, numbers or dates. Every one
# passes the anonymisation guard (tests/bench/test_scale.py checks).

CONTEXTS = [
    "Referred after a tenancy ended. Sofa-surfing between friends; wants somewhere settled "
    "before talking about anything else.",
    "Released from prison with licence conditions. Keen to find work; finds offices and "
    "waiting rooms hard after years inside.",
    "Long history of drug use, now on a script. Mornings are difficult; afternoons work better.",
    "Care leaver living alone for the first time. Money runs out before the end of the month.",
    "Left a violent relationship and moved into a refuge. The children are the priority.",
    "Drinking more since a bereavement. Has lost touch with most services and is wary of new "
    "workers.",
    "Sleeping rough on and off for several years. Trusts outreach workers more than buildings.",
    "Recently diagnosed with a long-term illness. Appointments clash with hospital visits.",
    "Young parent with a new baby. Worried that asking for help means the children are at risk.",
    "On probation after a first offence. Works shifts, so daytime appointments are hard to keep.",
    "Hears voices at times and finds phone calls stressful. Prefers texts and short visits.",
    "Moved between hostels several times this year. Each move restarts every referral.",
    "Caring for an older parent at home. Has little time for herself and cancels at short notice.",
    "Referred by the housing team after rent arrears. Embarrassed about the debt and avoids "
    "letters.",
    "",
]

# Timeline notes by (outcome, method), or (outcome, "person") when the person got in
# touch; the (outcome, "*") notes suit any method.
NOTES = {
    ("reached", "phone"): [
        "Short call; agreed the next step together.",
        "Picked up on the second try. Sounded brighter than last time.",
        "Quick call to confirm the visit.",
    ],
    ("reached", "text"): [
        "Replied to the text within the hour and confirmed the visit.",
        "Texted back with a thumbs up for the new time.",
    ],
    ("reached", "letter"): ["Replied to the letter and asked for an afternoon slot."],
    ("reached", "person"): [
        "Rang in to say things are better this week.",
        "Texted to ask for help with the housing application.",
        "Called to move the appointment rather than miss it.",
    ],
    ("reached", "*"): ["Caught up after the gap without going over why."],
    ("attended", "in-person"): [
        "Came in as agreed and stayed for the whole session.",
        "Attended with a friend for support, which helped.",
    ],
    ("attended", "visit"): [
        "Met at the cafe they chose. Much easier than the office.",
        "Walked and talked; they opened up more outside.",
        "Home visit; they showed us the new room.",
    ],
    ("attended", "video"): ["Joined the video call from the day centre."],
    ("attended", "person"): ["Dropped in without an appointment; made time to talk."],
    ("attended", "*"): [
        "Good conversation about what matters most this month.",
        "Talked through the benefits letter together.",
        "Planned the next appointment around their shifts.",
        "Brought the forms; we filled them in together.",
        "Agreed to try afternoons from now on.",
    ],
    ("no-answer", "phone"): [
        "No answer. Left a short, friendly voicemail.",
        "Phone off. Will try again later in the week.",
        "Voicemail full.",
    ],
    ("no-answer", "text"): ["No reply to the text.", "Text delivered, no reply yet."],
    ("no-answer", "visit"): [
        "Not in when we called round. Left a card.",
        "No answer at the door. Neighbour said they had gone out early.",
    ],
    ("no-answer", "letter"): ["No reply to the letter."],
    ("missed", "video"): ["Did not join the video call. Sent the link again."],
    ("missed", "*"): [
        "Did not come. Texted the same afternoon to say we noticed.",
        "Missed the appointment. The letter may not have arrived.",
        "Missed again; the time we set may not suit.",
    ],
    ("cancelled", "person"): [
        "Cancelled this morning; said they felt unwell.",
        "Cancelled because of a clash with another appointment.",
    ],
    ("cancelled", "*"): ["We had to cancel; offered a new time the same day."],
    ("other", "letter"): [
        "Letter sent with the next appointment and what it is for.",
        "Appointment card posted with a photo of the worker.",
    ],
    ("other", "*"): [
        "Spoke to the hostel team, who will pass on a message.",
        "Other agency shared that they are staying elsewhere for now.",
    ],
    ("returned-to-custody", "*"): [
        "Recalled to custody. Will keep in touch through the prison team.",
        "Remanded. Agreed with the prison team how we keep contact.",
    ],
}


def _notes_for(outcome, method, initiator):
    channel = "person" if initiator == Initiator.PERSON else method.value
    return NOTES.get((outcome.value, channel), []) + NOTES.get((outcome.value, "*"), [])


TRIGGERS = {
    TriggerKind.THOUGHTS: [
        "Expects to be judged when asked about the past",
        "Believes nothing will change whatever they do",
        "Thinks missing one appointment means the case will be closed",
    ],
    TriggerKind.FEELINGS: [
        "Shame after a relapse",
        "Anxiety before any formal meeting",
        "Feels overwhelmed by too many letters at once",
    ],
    TriggerKind.BEHAVIOUR: [
        "Stops answering the phone when money runs out",
        "Drinks more at weekends and misses early appointments",
        "Moves on without telling anyone when things get difficult",
    ],
    TriggerKind.RELATIONSHIPS: [
        "Contact with an ex-partner unsettles things for days",
        "Falls out with hostel staff and avoids the building",
        "Family visits bring up old arguments",
    ],
}

PREFERRED_TIMES = [
    "Afternoons, after lunch.",
    "Late mornings midweek.",
    "Any time except early mornings.",
    "After the school run.",
    "Evenings or weekends when possible.",
    "Short slots, no longer than half an hour.",
]
OTHERS_MAY_CONTACT = [
    "The hostel key worker, if we have not heard for a week.",
    "Their sister, only to pass on a message.",
    "The drug service worker, to check they are safe.",
    "Nobody else without asking first.",
    "The probation officer, about appointments only.",
    "The support worker at the day centre.",
]
DURING_DISENGAGEMENT = [
    "Keep texting once a week with no pressure; the door stays open.",
    "Try a visit after two missed calls, then a letter with a photo of the worker.",
    "Ask the hostel team to pass on a friendly message and offer a new time.",
    "Switch to texts and offer to meet somewhere they choose.",
    "Check in through the day centre before any formal letter.",
    "Wait a week, then offer an afternoon slot by text.",
    "Keep the case open and review together when contact resumes.",
]
REMINDERS = [
    "A text the day before.",
    "A text on the morning of the appointment.",
    "A call the evening before.",
    "No reminders, they find them stressful.",
    "",
]

IDENTIFY = [
    "Engaged well at first, then a run of missed appointments after the move.",
    "Contact is patchy: good weeks, then nothing for a month.",
    "Never really started: letters and calls have gone unanswered since referral.",
    "Steady contact for months, then stopped after a difficult court date.",
    "Attends when we meet outside the office, misses most office appointments.",
    "Replies to texts but does not pick up calls.",
    "Contact drops each time money runs short at the end of the month.",
    "Came back in touch after a long gap and wants a fresh start.",
]
ANALYSE = [
    "Our letters read as threats. The first thing they see is what happens if they miss.",
    "We only offer mornings, which is when things are hardest.",
    "Every change of worker has meant telling the story again.",
    "The spells line up with moves between hostels, not with anything about motivation.",
    "We have been counting attendance rather than asking what the sessions are for.",
    "Closing after three missed appointments would repeat what other services did.",
    "Relapse brings shame, and shame keeps them away from us.",
    "The office itself is a trigger: security doors and waiting rooms.",
]
PLANS = [
    "Offer afternoons and let them choose the place.",
    "Rewrite the appointment letter together, plainer and warmer.",
    "Agree a text check-in every week, no questions attached.",
    "Keep one worker for the next three months.",
    "Ask what they want from us before planning anything else.",
    "Meet at the day centre, where they already feel at home.",
    "Agree what happens during a quiet spell, before the next one.",
    "Bring this to the team review to look at our own rules.",
]
OTHER_FEELINGS = ["hope", "tiredness", "sadness", "worry", "admiration"]
CASE_RESPONSES = [
    "This rings true. We saw the same pattern with letters last year.",
    "Have you tried meeting somewhere they choose? It changed things for one of mine.",
    "Thank you for naming the frustration. I feel it too with similar cases.",
    "Could the afternoon slots become the default for the whole team?",
    "I wonder what the person would say the spells are about.",
    "Happy to cover a visit if the timing helps.",
    "Good to see the plan starts from what matters to them.",
    "The link with the hostel moves is striking. Worth raising at review.",
    "I would be careful about closing; they came back last time.",
    "Texts worked much better than calls for someone in a similar spot.",
]

REFLECTION_OPENINGS = [
    "This made me think about a case where we kept offering the same time slot.",
    "I recognise this from my own practice, especially on busy weeks.",
    "Reading this, I noticed how quickly I label someone as not engaging.",
    "We talk about choice, but most of our appointments are set by us.",
    "The part about missed appointments as communication stayed with me.",
    "I tried this with two people this month.",
    "I used to see a missed appointment as the end of the story.",
    "This challenged how I write letters.",
    "Our team rules leave little room for what people want.",
    "I had not thought about how our building feels to people arriving.",
    "Recording every attempt feels like admin, but it shows patterns I had missed.",
    "It is easy to forget how much waiting people do in our services.",
]
REFLECTION_MIDDLES = [
    "When I asked what would help, the answer was simple: afternoons.",
    "I realised I was more frustrated with the system than with the person.",
    "Looking back, the spells of silence matched changes on our side.",
    "Offering two options instead of one changed the conversation.",
    "I want to notice my own reactions before I decide what a silence means.",
    "Sharing the plan with the person made it theirs, not ours.",
    "I still struggle to balance this with the caseload.",
    "Small changes, such as texting first, made a real difference.",
    "I am going to bring this to our next team review.",
    "I am less sure than I was about closing cases after a set number of misses.",
    "Next time I will ask who else they would like us to contact.",
    "It helped to read the timeline as a whole rather than the last entry.",
]
REFLECTION_RESPONSES = [
    "Thank you for sharing this. It made me rethink one of my own cases.",
    "I had the same experience with afternoon slots.",
    "This is a good one to bring to the team review.",
    "I like the idea of offering two options. Going to try it.",
    "Really honest reflection. The point about frustration resonates.",
    "Could we try this as a team for a month and compare notes?",
    "I wonder whether our letters have the same effect.",
    "This helped me see my own habits more clearly.",
    "Agree. Recording the failed attempts has changed how I read my cases.",
    "Thanks. I noticed the same thing about our waiting room.",
    "Good question about choice. Worth asking the people we work with.",
    "I found this hard to read because it is true of me too.",
]

SERIES_TITLES = [
    "Team reflection",
    "Case review",
    "Practice huddle",
    "Reflective learning circle",
]
LOCATIONS = [
    "Meeting room 2",
    "The quiet room, or the video link in the team channel",
    "Video call",
    "Training room",
    "",
]
CASE_ITEM_TITLES = [
    "A run of missed appointments",
    "Back in touch after a long gap",
    "Never started: what else can we try?",
    "Letters that read as threats",
    "Closing or keeping open?",
    "What the plan says for a quiet spell",
]
CASE_REFLECTION_ITEM_TITLES = [
    "Peer reflection to discuss",
    "What this case stirs in us",
    "Reflection on a sporadic pattern",
]
SHARED_REFLECTION_ITEM_TITLES = [
    "A reflection worth talking through",
    "Shared reflection on choice",
    "A shared reflection on missed appointments",
]
MODULE_ITEM_TITLES = [
    "What we took from the module",
    "Trying the module's ideas in practice",
    "Module discussion",
]
ITEM_NOTES = [
    "Talked through the timeline. The missed appointments cluster around the same weekday.",
    "Agreed the pattern says more about our offer than about motivation.",
    "Several of us see the same thing: letters go unanswered, texts get replies.",
    "Good discussion about choice. Most of our slots are set by us, not the people we see.",
    "We looked at what happens in a quiet spell and found we have no shared answer.",
    "People felt the module matched their experience, especially on busy weeks.",
    "Some worry that keeping cases open longer will stretch the caseload.",
    "Heard how one worker moved sessions outside the office, with good results.",
    "Named our own frustration honestly, which helped the discussion.",
    "Looked at the spells across the team: most start after a change on our side.",
    "Shared examples of participation that did not involve attending anything.",
    "Agreed to look at the appointment letter together before the next session.",
]
ITEM_DECISIONS = [
    "Offer afternoon slots by default for a month and review.",
    "Rewrite the appointment letter with two people we work with.",
    "No closure after missed appointments without a team discussion.",
    "Text before calling, for everyone who prefers it.",
    "Bring one example of participation without attendance next time.",
    "Keep the case open and revisit at the next session.",
    "Ask the person what they want from the next meeting.",
]
ACTIONS = [
    "Draft a plainer appointment letter",
    "Ask the day centre about meeting space",
    "Bring the team's spell figures to the next session",
    "Try afternoon slots for new referrals",
    "Share the engagement plan template with the team",
    "Check how our letters are worded",
    "Find out which services share our waiting room",
    "Ask two people we work with for feedback on the letter",
    "Update the engagement plan with what was agreed",
    "Read the module and bring one question",
]
DONE_NOTES = [
    "Shared at the next session.",
    "Done; the new letter is in the team folder.",
    "Done, with feedback from two people.",
    "Raised with the manager; waiting for an answer.",
    "Tried for a month. Worth keeping.",
    "",
]


TIMEZONE = "Europe/London"
# Every table loaded here with an id column (contact_tallies has none).
SEQUENCED = (
    Team,
    User,
    Membership,
    SelfCheck,
    SelfCheckAnswer,
    PeriodScore,
    Case,
    TimelineEntry,
    Trigger,
    EngagementPlan,
    CaseReflection,
    CaseResponse,
    Reflection,
    ReflectionResponse,
    ModuleProgress,
    ReviewSeries,
    ReviewSession,
    AgendaItem,
    Action,
)


def _team_name(n):
    base = TEAM_NAMES[n % len(TEAM_NAMES)]
    return base if n < len(TEAM_NAMES) else f"{base} {n // len(TEAM_NAMES) + 1}"


def _insert(model, rows, chunk=5000):
    table = model.__table__
    for start in range(0, len(rows), chunk):
        db.session.execute(table.insert(), rows[start : start + chunk])


def _next_id(model):
    return db.session.scalar(db.select(db.func.coalesce(db.func.max(model.id), 0))) + 1


def _reset_sequences(models):
    """PostgreSQL: move id sequences past the ids inserted explicitly above."""
    if not on_postgresql():
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            db.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


class _Html:
    """The Markdown pipeline's output for each distinct text, rendered once."""

    def __init__(self):
        self.cache = {}

    def __call__(self, text):
        html = self.cache.get(text)
        if html is None:
            html = self.cache[text] = str(markdown.render(text))
        return html


class _World:
    """What the generators share: the clock, the teams and their members."""

    def __init__(self, *, seed, now, years, scale, team_ids, members, facilitators):
        self.seed = seed
        self.scale = scale
        self.now = now
        self.today = date.today()  # the day the app's own rules use (cases/services.py)
        self.days = 365 * years
        self.first_day = self.today - timedelta(days=self.days)
        self.team_ids = [t for t in team_ids if members.get(t)]
        self.members = members
        self.facilitators = facilitators
        self.timezone = TIMEZONE
        self.html = _Html()

    def rng(self, part):
        return random.Random(f"{self.seed}-{part}")

    def at(self, day, rng, first_hour=8, last_hour=17):
        """A working-hours moment on ``day`` (UTC), never later than now."""
        moment = datetime.combine(
            day, time(rng.randint(first_hour, last_hour), rng.randint(0, 59)), tzinfo=UTC
        )
        return min(moment, self.now - timedelta(seconds=1))

    def within(self, rng, first, days, skip=0):
        """A working-hours moment in the ``days`` after ``first`` (after ``skip`` if it can)."""
        return self.at(first + timedelta(days=rng.randint(min(skip, days), days)), rng)

    def other_member(self, rng, team_id, not_id):
        others = [m for m in self.members[team_id] if m != not_id]
        return rng.choice(others) if others else None


def seed_scale(*, teams, people, years, seed, instrument, password, scale=1, library=None):
    """Generate teams, people and ``scale`` times the history volume (see the module docstring).

    Returns the logins to print (one staff member, one facilitator, one leader)
    and the volumes generated.
    """
    rng = random.Random(seed)
    now = utcnow()
    since = now - timedelta(days=365 * years + 30)  # people were here before the history
    password_hash = hash_password(password)
    prefix = f"scale{seed}"
    first_team = _next_id(Team)
    _insert(
        Team,
        [
            {
                "id": first_team + n,
                "name": f"{_team_name(n)} ({prefix})",
                "description": "Generated for benchmarks.",
                "timezone": TIMEZONE,
                "created_at": since,
            }
            for n in range(teams)
        ],
    )
    first_user = _next_id(User)
    users, memberships = [], []
    members, facilitators = defaultdict(list), {}
    for n in range(people):
        role = "leader" if n == people - 1 else "staff"
        users.append(
            {
                "id": first_user + n,
                "email": f"person{n}@{prefix}.example.org",
                "display_name": f"Generated Person {n}",
                "password_hash": password_hash,
                "role": role,
                "is_active": True,
                "session_version": 1,
                "failed_login_count": 0,
                "scores_version": 1,  # their monthly scores are inserted below
                "created_at": since,
            }
        )
        if role == "staff":
            team_id = first_team + n % teams
            memberships.append(
                {
                    "user_id": first_user + n,
                    "team_id": team_id,
                    "role": "facilitator" if n < teams else "member",
                    "created_at": since,
                }
            )
            members[team_id].append(first_user + n)
            if n < teams:
                facilitators[team_id] = first_user + n
    _insert(User, users)
    _insert(Membership, memberships)
    # Everyone was in their team before the generated history begins (no start).
    _insert(
        MembershipSpell,
        [
            {"user_id": m["user_id"], "team_id": m["team_id"], "started_at": None}
            for m in memberships
        ],
    )

    counts = _seed_selfchecks(
        rng,
        instrument,
        now=now,
        people=people,
        teams=teams,
        years=years,
        scale=scale,
        first_user=first_user,
    )
    world = _World(
        seed=seed,
        now=now,
        years=years,
        scale=scale,
        team_ids=[first_team + n for n in range(teams)],
        members=members,
        facilitators=facilitators,
    )
    staff_count = len(memberships)
    cases = _seed_cases(world, round(staff_count * years * scale * CASES_PER_PERSON_YEAR))
    counts.update(cases.counts)
    learning = _seed_learning(
        world,
        library,
        reflections=round(staff_count * years * scale * REFLECTIONS_PER_PERSON_YEAR),
        responses=round(staff_count * years * scale * RESPONSES_PER_PERSON_YEAR),
    )
    counts.update(learning.counts)
    counts.update(_seed_reviews(world, library, cases, learning))
    _reset_sequences(SEQUENCED)
    db.session.flush()
    # The bulk inserts went around the session, which keeps the rollup on every other write.
    participation.rebuild(db.session.connection(), range(first_user, first_user + people))
    return {
        "staff": users[teams]["email"] if people > teams else users[0]["email"],
        "facilitator": users[0]["email"],
        "leader": users[-1]["email"],
        **counts,
    }


def _seed_selfchecks(rng, instrument, *, now, people, teams, years, scale, first_user):
    items = instrument.items
    first_check = _next_id(SelfCheck)
    first_answer = _next_id(SelfCheckAnswer)
    checks, answers, period_rows = [], [], {}
    days = 365 * years
    interval = 365 / (CHECKS_PER_PERSON_YEAR * scale)  # days between a person's checks
    drifting = {t: rng.sample(instrument.principles, 2) for t in range(teams) if t % 4 == 0}
    check_id = first_check
    for n in range(people - 1):
        team = n % teams
        level = {p: rng.uniform(2.2, 3.4) for p in instrument.principles}
        day = days - rng.randint(0, round(interval))
        while day > 0:
            submitted = now - timedelta(days=day, minutes=rng.randint(0, 600))
            progress = 1 - day / days
            scores = {}
            for item in items:
                mean = level[item.principle]
                if item.principle in drifting.get(team, ()) and progress > 0.7:
                    mean -= 3 * (progress - 0.7)
                rating = min(4, max(0, round(rng.gauss(mean, 0.6))))
                answers.append(
                    {
                        "id": first_answer + len(answers),
                        "self_check_id": check_id,
                        "item_id": item.id,
                        "principle": item.principle,
                        "rating": rating,
                    }
                )
                scores.setdefault(item.principle, []).append(rating)
            checks.append(
                {
                    "id": check_id,
                    "user_id": first_user + n,
                    "instrument_slug": instrument.slug,
                    "instrument_version": instrument.version,
                    "status": "submitted",
                    "notes": {},
                    "started_at": submitted,
                    "updated_at": submitted,
                    "submitted_at": submitted,
                }
            )
            period = period_of(submitted)
            for principle, values in scores.items():
                period_rows[(first_user + n, period, principle)] = {
                    "user_id": first_user + n,
                    "period_on": period,
                    "principle": principle,
                    "score": sum(values) / len(values),
                    "self_check_id": check_id,
                    "submitted_at": submitted,
                }
            check_id += 1
            day -= max(1, round(interval * rng.uniform(0.8, 1.2)))
    _insert(SelfCheck, checks)
    _insert(SelfCheckAnswer, answers)
    first_score = _next_id(PeriodScore)
    _insert(
        PeriodScore,
        [{"id": first_score + i, **row} for i, row in enumerate(period_rows.values())],
    )
    return {"self_checks": len(checks), "answers": len(answers)}


# --- cases --------------------------------------------------------------------------

# How each kind of history behaves: the chance that an attempt connects while the
# person is engaged, and the kind's share of the caseload.
ARCHETYPES = {"steady": 0.36, "sporadic": 0.32, "dropped-out": 0.17, "non-starter": 0.10}
ARCHETYPES["custody"] = 1 - sum(ARCHETYPES.values())
METHODS = [
    (Method.PHONE, 0.30),
    (Method.TEXT, 0.20),
    (Method.IN_PERSON, 0.22),
    (Method.VISIT, 0.14),
    (Method.VIDEO, 0.07),
    (Method.LETTER, 0.07),
]
# A failed attempt by each method: how it fails.
FAILURES = {
    Method.PHONE: ([Outcome.NO_ANSWER, Outcome.CANCELLED], [0.9, 0.1]),
    Method.TEXT: ([Outcome.NO_ANSWER], [1]),
    Method.IN_PERSON: ([Outcome.MISSED, Outcome.CANCELLED], [0.75, 0.25]),
    Method.VISIT: ([Outcome.NO_ANSWER, Outcome.MISSED], [0.6, 0.4]),
    Method.VIDEO: ([Outcome.MISSED, Outcome.CANCELLED], [0.7, 0.3]),
    Method.LETTER: ([Outcome.NO_ANSWER], [1]),
}
CONTACT_BY_METHOD = {
    Method.PHONE: Outcome.REACHED,
    Method.TEXT: Outcome.REACHED,
    Method.LETTER: Outcome.REACHED,
    Method.IN_PERSON: Outcome.ATTENDED,
    Method.VISIT: Outcome.ATTENDED,
    Method.VIDEO: Outcome.ATTENDED,
}


class _Cases:
    """What the review generator needs from the cases: per team, in opening order."""

    def __init__(self):
        self.by_team = defaultdict(list)  # team_id: [(created_at, closed_at, id, code)]
        self.opened = defaultdict(list)  # team_id: [created_at, ...] for bisect
        self.reflections = defaultdict(list)  # team_id: [(created_at, id, code)]
        self.counts = {}


def _case_codes(rng, count):
    """``count`` distinct codes shaped like Case.new_code(), none already in use."""
    taken = set(db.session.scalars(db.select(Case.code)))
    space = len(CODE_ALPHABET) ** 4
    if count + len(taken) > space // 2:
        raise ValueError(f"{count:,} cases would fill more than half of the code space")
    codes = []
    while len(codes) < count:
        code = "C-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(4))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def _outcomes(rng, archetype, count):
    """The run of (connected?, special outcome) for a case's entries, by archetype."""
    engaged = True
    drop_at = round(count * rng.uniform(0.45, 0.75))
    for n in range(count):
        if archetype == "non-starter":
            p = 0.0
        elif archetype == "steady":
            p = 0.82
        elif archetype == "sporadic":
            if rng.random() < 0.22:
                engaged = not engaged
            p = 0.8 if engaged else 0.08
        elif archetype == "dropped-out":
            p = 0.8 if n < drop_at else 0.03
        else:  # custody: engaged on and off, then recalled at the end
            if n == count - 1 and count > 2:
                yield None, Outcome.RETURNED_TO_CUSTODY
                continue
            p = 0.6
        roll = rng.random()
        if roll < 0.025:
            yield None, Outcome.OTHER
        else:
            yield rng.random() < p, None


def _timeline(world, rng, case_id, opened, window, archetype, count, created_at, worker, team_id):
    """``count`` entries over the case's first ``window`` days, recorded the day they happened."""
    methods, method_weights = zip(*METHODS, strict=True)
    members = world.members[team_id]
    days = sorted([0] + [rng.randint(0, window) for _ in range(count - 1)])
    entries = []
    moment = created_at
    for offset, (connected, special) in zip(days, _outcomes(rng, archetype, count), strict=True):
        day = opened + timedelta(days=offset)
        initiator = rng.choices(
            [Initiator.WORKER, Initiator.PERSON, Initiator.OTHER_AGENCY], [0.8, 0.13, 0.07]
        )[0]
        method = rng.choices(methods, method_weights)[0]
        if special is not None:
            outcome = special
            if special == Outcome.RETURNED_TO_CUSTODY:
                initiator = Initiator.OTHER_AGENCY
        elif connected:
            outcome = CONTACT_BY_METHOD[method]
        elif initiator == Initiator.PERSON:
            outcome = Outcome.CANCELLED
        elif method == Method.LETTER and rng.random() < 0.7:
            outcome = Outcome.OTHER  # sent; no reply expected yet
        else:
            choices, weights = FAILURES[method]
            outcome = rng.choices(choices, weights)[0]
        notes = _notes_for(outcome, method, initiator)
        # In order within a day too: the app orders a day's entries by id.
        moment = max(world.at(day, rng), moment + timedelta(minutes=rng.randint(5, 90)))
        moment = min(moment, world.now - timedelta(seconds=1))
        entries.append(
            {
                "case_id": case_id,
                "occurred_on": day,
                "method": method,
                "initiated_by": initiator,
                "outcome": outcome,
                "note": rng.choice(notes) if notes and rng.random() < 0.65 else "",
                "recorded_by_id": worker if rng.random() < 0.85 else rng.choice(members),
                "created_at": moment,
            }
        )
    return entries


def _seed_cases(world, target):
    rng = world.rng("cases")
    today, now = world.today, world.now
    config = current_app.config
    min_attempts, min_days = config["SPELL_MIN_ATTEMPTS"], config["SPELL_MIN_DAYS"]
    result = _Cases()
    if not world.team_ids or target <= 0:
        result.counts = dict.fromkeys(
            ["cases", "entries", "triggers", "plans", "case_reflections", "case_responses"], 0
        )
        return result

    team_weights = [len(world.members[t]) * rng.uniform(0.7, 1.3) for t in world.team_ids]
    kinds, kind_weights = list(ARCHETYPES), list(ARCHETYPES.values())
    methods = [m for m, _ in METHODS]
    genders = [Gender.FEMALE, Gender.MALE, Gender.ANOTHER, Gender.NOT_RECORDED]
    plans = []
    for _ in range(target):
        opened = today - timedelta(days=rng.randint(2, world.days))
        archetype = rng.choices(kinds, kind_weights)[0]
        if archetype == "non-starter":
            lifetime = rng.randint(20, 90)
        else:
            lifetime = round(rng.triangular(45, 900, 240))
        ends = opened + timedelta(days=lifetime)
        window = (min(ends, today) - opened).days
        plans.append((opened, archetype, ends, window, rng.lognormvariate(0, 0.45)))
    plans.sort(key=lambda p: p[0])
    # Attempts come at a pace that gives about ENTRIES_PER_CASE entries a case overall.
    # Non-starters get their few attempts (five on average) whatever their window.
    paced = [p for p in plans if p[1] != "non-starter"]
    intensity_total = sum((p[3] + 1) * p[4] for p in paced) or 1
    per_day = (ENTRIES_PER_CASE * len(plans) - 5 * (len(plans) - len(paced))) / intensity_total

    codes = _case_codes(world.rng("codes"), len(plans))
    first_case = _next_id(Case)
    cases, entries, triggers, engagement_plans = [], [], [], []
    reflections, responses = [], []
    for index, (opened, archetype, ends, window, intensity) in enumerate(plans):
        case_id = first_case + index
        team_id = rng.choices(world.team_ids, team_weights)[0]
        worker = rng.choice(world.members[team_id])
        created_at = world.at(opened, rng, 8, 11)
        if archetype == "non-starter":
            count = rng.randint(3, 7)
        else:
            expected = (window + 1) * intensity * per_day
            count = max(1, round(rng.gauss(expected, expected**0.5)))
        case_entries = _timeline(
            world, rng, case_id, opened, window, archetype, count, created_at, worker, team_id
        )
        # The rollup as refresh_rollup() left it after the last entry was recorded.
        pairs = [(e["occurred_on"], e["outcome"].value) for e in case_entries]
        last_write = case_entries[-1]["created_at"]
        found = spell_rule.find_spells(
            pairs, last_write.date(), min_attempts=min_attempts, min_days=min_days
        )
        suggested = spell_rule.suggest_pattern(pairs, found)
        updated_at = last_write
        last_day = min(ends, today)

        confirmed = None
        if suggested and rng.random() < 0.35:
            confirmed = (
                Pattern(suggested)
                if rng.random() < 0.85
                else rng.choice([p for p in Pattern if p.value != suggested])
            )
            confirmed_at = last_write + timedelta(minutes=rng.randint(5, 240))
            updated_at = max(updated_at, min(confirmed_at, now - timedelta(seconds=1)))
        if rng.random() < (0.25 if archetype == "steady" else 0.5):
            for _ in range(rng.choices([1, 2, 3], [0.55, 0.3, 0.15])[0]):
                kind = rng.choice(list(TriggerKind))
                when = max(world.within(rng, opened, window), created_at)
                triggers.append(
                    {
                        "case_id": case_id,
                        "kind": kind,
                        "description": rng.choice(TRIGGERS[kind]),
                        "created_at": when,
                    }
                )
                updated_at = max(updated_at, when)
        if archetype != "non-starter" and rng.random() < (0.3 if archetype == "steady" else 0.5):
            agreed = opened + timedelta(days=rng.randint(min(3, window), min(45, window)))
            saved = world.at(agreed, rng)
            engagement_plans.append(
                {
                    "case_id": case_id,
                    "made_with_person": rng.random() < 0.75,
                    "preferred_times": rng.choice(PREFERRED_TIMES),
                    "preferred_methods": [m.value for m in rng.sample(methods, rng.randint(1, 3))],
                    "others_may_contact": rng.choice(OTHERS_MAY_CONTACT),
                    "during_disengagement": rng.choice(DURING_DISENGAGEMENT),
                    "reminders": rng.choice(REMINDERS),
                    "agreed_on": agreed,
                    "review_on": agreed + timedelta(days=rng.choice([56, 84, 91]))
                    if rng.random() < 0.8
                    else None,
                    "updated_at": saved,
                    "updated_by_id": worker,
                }
            )
            updated_at = max(updated_at, saved)
        closed_at = None
        if ends < today and rng.random() < 0.92:
            closed_at = min(
                max(updated_at, world.at(last_day, rng)) + timedelta(days=rng.randint(1, 21)),
                now - timedelta(seconds=1),
            )
            updated_at = closed_at
        context = rng.choice(CONTEXTS)
        cases.append(
            {
                "id": case_id,
                "code": codes[index],
                "team_id": team_id,
                "gender": rng.choices(genders, [0.42, 0.44, 0.04, 0.1])[0],
                "age_band": rng.choice(AGE_BANDS) if rng.random() < 0.85 else None,
                "context": context,
                "context_html": world.html(context),
                "pattern_confirmed": confirmed,
                "pattern_suggested": suggested,
                "spell_count": len(found),
                "spell_days": sum(s.days(last_write.date()) for s in found),
                "in_spell": bool(found and found[-1].is_ongoing),
                "is_closed": closed_at is not None,
                "closed_at": closed_at,
                "created_by_id": worker,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        entries.extend(case_entries)
        result.by_team[team_id].append((created_at, closed_at, case_id, codes[index]))

        reflection_count = (rng.random() < 0.24) + (rng.random() < 0.06)
        for _ in range(reflection_count):
            author = rng.choice(world.members[team_id])
            written = max(world.within(rng, opened, window, skip=7), created_at)
            identify, analyse, plan = rng.choice(IDENTIFY), rng.choice(ANALYSE), rng.choice(PLANS)
            feelings = sorted(
                rng.sample(FEELINGS[:-1], rng.choices([0, 1, 2], [0.3, 0.5, 0.2])[0]),
                key=FEELINGS.index,
            )
            other = ""
            if rng.random() < 0.1:
                other = rng.choice(OTHER_FEELINGS)
                feelings.append("other")
            reflections.append(
                {
                    "case_id": case_id,
                    "author_id": author,
                    "identify": identify,
                    "identify_html": world.html(identify),
                    "analyse": analyse,
                    "analyse_html": world.html(analyse),
                    "plan": plan,
                    "plan_html": world.html(plan),
                    "feelings": feelings,
                    "other_feeling": other,
                    "created_at": written,
                    "_team": team_id,
                    "_code": codes[index],
                }
            )
            replies = rng.choices([0, 1, 2, 3], [0.35, 0.35, 0.2, 0.1])[0]
            for _ in range(replies):
                responder = world.other_member(rng, team_id, author)
                if responder is None:
                    break
                body = rng.choice(CASE_RESPONSES)
                at = written + timedelta(minutes=rng.randint(60, 10 * 24 * 60))
                responses.append(
                    {
                        "reflection": len(reflections) - 1,
                        "author_id": responder,
                        "body": body,
                        "body_html": world.html(body),
                        "created_at": min(at, now - timedelta(seconds=1)),
                        "seen_by_author_at": None,
                    }
                )

    _insert(Case, cases)
    for team_id, rows in result.by_team.items():
        rows.sort(key=lambda row: (row[0], row[2]))
        result.opened[team_id] = [row[0] for row in rows]
    # Ids in the order the entries were recorded, as the app would have given them.
    entries.sort(key=lambda e: e["created_at"])
    first_entry = _next_id(TimelineEntry)
    for n, entry in enumerate(entries):
        entry["id"] = first_entry + n
    _insert(TimelineEntry, entries)
    # The per-team tallies count_contacts() keeps on every recorded entry.
    team_of = {case["id"]: case["team_id"] for case in cases}
    tallies = Counter((team_of[e["case_id"]], e["method"], e["outcome"]) for e in entries)
    _insert(
        ContactTally,
        [
            {"team_id": team_id, "method": method, "outcome": outcome, "entries": n}
            for (team_id, method, outcome), n in sorted(tallies.items())
        ],
    )
    triggers.sort(key=lambda t: t["created_at"])
    first_trigger = _next_id(Trigger)
    for n, trigger in enumerate(triggers):
        trigger["id"] = first_trigger + n
    _insert(Trigger, triggers)
    first_plan = _next_id(EngagementPlan)
    for n, plan in enumerate(engagement_plans):
        plan["id"] = first_plan + n
    _insert(EngagementPlan, engagement_plans)

    order = sorted(range(len(reflections)), key=lambda i: reflections[i]["created_at"])
    first_reflection = _next_id(CaseReflection)
    reflection_ids = {}
    rows = []
    for n, i in enumerate(order):
        row = dict(reflections[i])
        team_id, code = row.pop("_team"), row.pop("_code")
        row["id"] = reflection_ids[i] = first_reflection + n
        rows.append(row)
        result.reflections[team_id].append((row["created_at"], row["id"], code))
    _insert(CaseReflection, rows)
    responses.sort(key=lambda r: r["created_at"])
    first_response = _next_id(CaseResponse)
    for n, response in enumerate(responses):
        response["id"] = first_response + n
        index = response.pop("reflection")
        response["reflection_id"] = reflection_ids[index]
        response["reflection_author_id"] = reflections[index]["author_id"]
    _insert(CaseResponse, responses)
    result.counts = {
        "cases": len(cases),
        "entries": len(entries),
        "triggers": len(triggers),
        "plans": len(engagement_plans),
        "case_reflections": len(rows),
        "case_responses": len(responses),
    }
    return result


# --- module reflections ---------------------------------------------------------------


class _Learning:
    def __init__(self):
        self.shared = defaultdict(list)  # team_id: [(shared_at, id)] in time order
        self.counts = {"reflections": 0, "responses": 0, "module_progress": 0}


def _seed_learning(world, library, *, reflections, responses):
    """Reflections on real module prompts, sittings over time, shares, peer responses."""
    result = _Learning()
    modules = [m for m in (library or []) if m.prompts]
    people = [(uid, t) for t in world.team_ids for uid in world.members[t]]
    if not modules or not people or reflections <= 0:
        return result
    rng = world.rng("learning")
    now = world.now
    start = datetime.combine(world.first_day, time(9), tzinfo=UTC)
    span = (now - start).total_seconds()
    weights = [rng.lognormvariate(0, 0.6) for _ in people]
    total = sum(weights)

    rows, progress = [], []
    for (user_id, team_id), weight in zip(people, weights, strict=True):
        quota = round(reflections * weight / total)
        if quota == 0:
            continue
        share_rate = rng.choice([0.1, 0.3, 0.5, 0.7])
        # Sittings: every prompt of a module in turn (sometimes only the first ones),
        # then revisits of modules already reflected on.
        order = rng.sample(modules, len(modules))
        sittings = []
        for module in order:
            count = len(module.prompts)
            if count > 1 and rng.random() < 0.3:
                count = rng.randint(1, count - 1)
            sittings.append((module, list(module.prompts[:count])))
        written = sum(len(p) for _, p in sittings)
        while written < quota:
            module = rng.choice(order)
            again = rng.sample(module.prompts, rng.randint(1, min(2, len(module.prompts))))
            sittings.append((module, again))
            written += len(again)
        kept, left = [], quota
        for module, prompts in sittings:
            if left <= 0:
                break
            kept.append((module, prompts[:left]))
            left -= len(kept[-1][1])
        joined = rng.uniform(0, 0.3) * span
        times = sorted(rng.uniform(joined, span - 3600) for _ in kept)
        per_module = {}
        for (module, prompts), offset in zip(kept, times, strict=True):
            moment = start + timedelta(seconds=offset)
            for prompt in prompts:
                moment += timedelta(minutes=rng.randint(3, 25))
                moment = min(moment, now - timedelta(seconds=1))
                body = rng.choice(REFLECTION_OPENINGS) + " " + rng.choice(REFLECTION_MIDDLES)
                shared = rng.random() < share_rate
                rows.append(
                    {
                        "author_id": user_id,
                        "module_slug": module.slug,
                        "module_version": module.version,
                        "prompt_id": prompt.id,
                        "prompt_text": prompt.text,
                        "body": body,
                        "body_html": world.html(body),
                        "shared_team_id": team_id if shared else None,
                        "shared_at": moment if shared else None,
                        "created_at": moment,
                        "updated_at": moment,
                        "response_count": 0,
                    }
                )
                state = per_module.setdefault(module.slug, [module, moment, moment, set()])
                state[2] = moment
                state[3].add(prompt.id)
        # module_progress as _refresh_progress() leaves it after the person's last write.
        for module, first, last, answered in per_module.values():
            complete = module.prompt_ids <= answered
            progress.append(
                {
                    "user_id": user_id,
                    "module_slug": module.slug,
                    "started_at": first,
                    "reflected_at": last if complete else None,
                    "reflected_version": module.version if complete else None,
                    "answered_prompts": sorted(answered),
                }
            )

    rows.sort(key=lambda r: r["created_at"])
    first_reflection = _next_id(Reflection)
    shared = []
    for n, row in enumerate(rows):
        row["id"] = first_reflection + n
        if row["shared_team_id"] is not None:
            shared.append(row)
            result.shared[row["shared_team_id"]].append((row["shared_at"], row["id"]))

    replies = []
    for _ in range(responses if shared else 0):
        reflection = rng.choice(shared)
        author = world.other_member(rng, reflection["shared_team_id"], reflection["author_id"])
        if author is None:
            continue
        after = reflection["shared_at"]
        at = after + timedelta(minutes=rng.randint(30, 14 * 24 * 60))
        if at >= now:
            at = after + (now - after) * rng.random()
        body = rng.choice(REFLECTION_RESPONSES)
        replies.append(
            {
                "reflection_id": reflection["id"],
                "author_id": author,
                "reflection_author_id": reflection["author_id"],
                "body": body,
                "body_html": world.html(body),
                "created_at": at,
            }
        )
        reflection["response_count"] += 1
    _insert(Reflection, rows)
    replies.sort(key=lambda r: r["created_at"])
    first_reply = _next_id(ReflectionResponse)
    for n, reply in enumerate(replies):
        reply["id"] = first_reply + n
    _insert(ReflectionResponse, replies)
    progress.sort(key=lambda p: p["started_at"])
    first_progress = _next_id(ModuleProgress)
    for n, row in enumerate(progress):
        row["id"] = first_progress + n
    _insert(ModuleProgress, progress)
    result.counts = {
        "reflections": len(rows),
        "responses": len(replies),
        "module_progress": len(progress),
    }
    return result


# --- review sessions ------------------------------------------------------------------

RULES = [
    ("FREQ=WEEKLY;INTERVAL=2", 0.15),  # the schedule form's "every second week"
    ("FREQ=WEEKLY;INTERVAL=3", 0.2),  # a custom rule
    ("FREQ=WEEKLY;INTERVAL=4", 0.65),  # "every four weeks"
]


def _recent(rows, moment, limit=30):
    """The last ``limit`` of ``rows`` (sorted by their first field) before ``moment``."""
    end = bisect.bisect_left(rows, (moment,))
    return rows[max(0, end - limit) : end]


class _Agendas:
    """Rows for agenda items and actions, and what a team's items may link to."""

    def __init__(self, world, library, cases, learning):
        self.world = world
        self.modules = list(library or [])
        self.cases, self.learning = cases, learning
        self.first_item, self.first_action = _next_id(AgendaItem), _next_id(Action)
        self.items, self.actions = [], []

    def fill(self, rng, session, team_id, facilitator, scheduled_at):
        """The agenda of one session: notes, decisions and actions once it has happened."""
        world, now = self.world, self.world.now
        ends_at = session["starts_at"] + timedelta(minutes=session["duration_minutes"])
        past = ends_at < now
        if past:
            count = rng.choices([1, 2, 3, 4, 5], [0.1, 0.25, 0.3, 0.25, 0.1])[0]
        elif session["starts_at"] - now < timedelta(days=21):
            count = rng.choice([0, 1, 2])  # proposals for the next sessions
        else:
            count = 0
        notes = rng.sample(ITEM_NOTES, min(count, len(ITEM_NOTES)))
        decisions = rng.sample(ITEM_DECISIONS, min(count, len(ITEM_DECISIONS)))
        questions = rng.sample(SYSTEM_QUESTIONS, len(SYSTEM_QUESTIONS))
        for position in range(1, count + 1):
            raised = session["starts_at"] - timedelta(hours=rng.randint(2, 10 * 24))
            raised = max(min(raised, now - timedelta(seconds=1)), scheduled_at)
            item_id = self.first_item + len(self.items)
            item = self.link(rng, team_id, raised, session["starts_at"], questions)
            note = decision = ""
            if past and rng.random() < 0.85:
                note = notes[(position - 1) % len(notes)]
                if rng.random() < 0.65:
                    decision = decisions[(position - 1) % len(decisions)]
            self.items.append(
                {
                    "id": item_id,
                    "session_id": session["id"],
                    "raised_by_id": rng.choice(world.members[team_id]),
                    "position": position,
                    "timebox_minutes": rng.choice([None, 10, 15, 20, 30]),
                    "notes": note,
                    "notes_html": world.html(note),
                    "decisions": decision,
                    "decisions_html": world.html(decision),
                    # save_notes() moves the version on at each save.
                    "version": 2 if note or decision else 1,
                    "created_at": raised,
                    **item,
                }
            )
            if past and rng.random() < 0.45:
                for _ in range(rng.choices([1, 2], [0.8, 0.2])[0]):
                    self.action(rng, team_id, session["id"], item_id, ends_at, facilitator)

    def link(self, rng, team_id, raised, starts_at, questions):
        """An item's kind, title and link: to something of the team that existed by then."""
        kind = rng.choices(
            [
                ItemKind.CASE,
                ItemKind.CASE_REFLECTION,
                ItemKind.MODULE,
                ItemKind.SHARED_REFLECTION,
                ItemKind.SYSTEM_QUESTION,
            ],
            [0.4, 0.1, 0.15, 0.1, 0.25],
        )[0]
        item = {
            "kind": ItemKind.SYSTEM_QUESTION,
            "title": questions.pop() if questions else rng.choice(SYSTEM_QUESTIONS),
            "case_id": None,
            "case_reflection_id": None,
            "reflection_id": None,
            "module_slug": None,
        }
        if kind == ItemKind.CASE:
            rows = self.cases.by_team[team_id]
            opened = bisect.bisect_left(self.cases.opened[team_id], raised)
            for _ in range(8 if opened else 0):
                _created, closed_at, case_id, code = rows[rng.randrange(opened)]
                if closed_at is None or closed_at > starts_at:
                    title = f"{rng.choice(CASE_ITEM_TITLES)} ({code})"
                    return {**item, "kind": kind, "title": title, "case_id": case_id}
        elif kind == ItemKind.CASE_REFLECTION:
            recent = _recent(self.cases.reflections[team_id], raised)
            if recent:
                _created, reflection_id, code = rng.choice(recent)
                title = f"{rng.choice(CASE_REFLECTION_ITEM_TITLES)} ({code})"
                return {**item, "kind": kind, "title": title, "case_reflection_id": reflection_id}
        elif kind == ItemKind.SHARED_REFLECTION:
            recent = _recent(self.learning.shared[team_id], raised)
            if recent:
                _shared_at, reflection_id = rng.choice(recent)
                title = rng.choice(SHARED_REFLECTION_ITEM_TITLES)
                return {**item, "kind": kind, "title": title, "reflection_id": reflection_id}
        elif kind == ItemKind.MODULE and self.modules:
            module = rng.choice(self.modules)
            title = f"{rng.choice(MODULE_ITEM_TITLES)}: {module.title}"
            return {**item, "kind": kind, "title": title[:300], "module_slug": module.slug}
        return item

    def action(self, rng, team_id, session_id, item_id, ends_at, facilitator):
        """An action agreed at a past session: most old ones done, recent ones mostly open."""
        now, today = self.world.now, self.world.today
        created = min(ends_at, now - timedelta(seconds=1))
        due = created.date() + timedelta(days=rng.randint(7, 35))
        if due < today - timedelta(days=14):
            done_chance = 0.95
        elif due < today:
            done_chance = 0.6
        else:
            done_chance = 0.25
        done_at, note = None, ""
        if rng.random() < done_chance:
            latest = datetime.combine(due, time(17), tzinfo=UTC) + timedelta(days=10)
            done_at = created + (min(latest, now) - created) * rng.uniform(0.1, 1.0)
            note = rng.choice(DONE_NOTES)
        self.actions.append(
            {
                "id": self.first_action + len(self.actions),
                "session_id": session_id,
                "item_id": item_id,
                "team_id": team_id,
                "description": rng.choice(ACTIONS),
                "owner_id": rng.choice(self.world.members[team_id]),
                "due_on": due,
                "done_at": done_at,
                "done_note": note,
                "created_by_id": facilitator,
                "created_at": created,
            }
        )


def _seed_reviews(world, library, cases, learning):
    """Yearly series per team (``scale`` of them side by side), agendas, notes and actions."""
    rng = world.rng("reviews")
    now, today = world.now, world.today
    rules, rule_weights = zip(*RULES, strict=True)
    first_series, first_session = _next_id(ReviewSeries), _next_id(ReviewSession)
    agendas = _Agendas(world, library, cases, learning)
    series_rows, session_rows = [], []
    for team_id in world.team_ids:
        facilitator = world.facilitators.get(team_id, world.members[team_id][0])
        for k in range(world.scale):
            title = SERIES_TITLES[k % len(SERIES_TITLES)]
            if k >= len(SERIES_TITLES):
                title += f" {k // len(SERIES_TITLES) + 1}"
            weekday = (1 + 2 * k + rng.randint(0, 1)) % 5
            local_time = rng.choice([time(10), time(14), time(9, 30), time(13, 30)])
            duration = rng.choice([60, 90, 90, 120])
            location = rng.choice(LOCATIONS)
            # A year at a time, as facilitators would (the app expands two years at most);
            # the current series runs a few weeks past today.
            for year_start in range(0, world.days, 365):
                first = world.first_day + timedelta(days=year_start + rng.randint(0, 13))
                first += timedelta(days=(weekday - first.weekday()) % 7)
                if year_start + 365 >= world.days:
                    until = today + timedelta(days=rng.randint(28, 84))
                else:
                    until = first + timedelta(days=358)
                rule = rng.choices(rules, rule_weights)[0]
                try:
                    starts = expand(
                        datetime.combine(first, local_time), rule, world.timezone, until=until
                    )
                except ScheduleError:
                    continue
                series_id = first_series + len(series_rows)
                scheduled_at = min(starts[0] - timedelta(days=rng.randint(3, 21)), now)
                series_rows.append(
                    {
                        "id": series_id,
                        "team_id": team_id,
                        "title": title,
                        "location": location,
                        "first_start_at": starts[0],
                        "duration_minutes": duration,
                        "rrule": rule,
                        "timezone": world.timezone,
                        "ended_on": until,
                        "created_by_id": facilitator,
                        "created_at": scheduled_at,
                    }
                )
                for original in starts:
                    session = {
                        "id": first_session + len(session_rows),
                        "series_id": series_id,
                        "team_id": team_id,
                        "original_start_at": original,
                        "starts_at": original,
                        "duration_minutes": duration,
                        "is_cancelled": False,
                        "sequence": 0,
                    }
                    roll = rng.random()
                    if roll < 0.04:  # cancelled, and nothing was written for it
                        session.update(is_cancelled=True, sequence=1)
                    elif roll < 0.09:  # moved a day or two
                        moved = original + timedelta(days=rng.choice([-1, 1, 2]))
                        session.update(starts_at=moved, sequence=1)
                    session_rows.append(session)
                    if not session["is_cancelled"]:
                        agendas.fill(rng, session, team_id, facilitator, scheduled_at)
    _insert(ReviewSeries, series_rows)
    _insert(ReviewSession, session_rows)
    _insert(AgendaItem, agendas.items)
    _insert(Action, agendas.actions)
    return {
        "review_series": len(series_rows),
        "sessions": len(session_rows),
        "agenda_items": len(agendas.items),
        "actions": len(agendas.actions),
        "open_actions": sum(a["done_at"] is None for a in agendas.actions),
    }


def register(app):
    """Add ``flask seed-scale`` to ``app`` (wsgi.py does, when run from the repository)."""
    app.cli.add_command(seed_scale_command)


@click.command("seed-scale")
@with_appcontext
@click.option("--teams", default=40, show_default=True)
@click.option("--people", default=800, show_default=True)
@click.option("--years", default=3, show_default=True)
@click.option("--seed", default=1, show_default=True, help="Same seed, same organisation.")
@click.option("--scale", default=1, show_default=True, help="Multiply the history volumes.")
@click.option("--password", default="scale-password-123", show_default=True)
def seed_scale_command(teams, people, years, seed, scale, password):
    """Generate a large organisation (bulk inserts) for benchmarks."""
    started = clock.monotonic()
    library = current_app.extensions["content"].library
    result = seed_scale(
        teams=teams,
        people=people,
        years=years,
        seed=seed,
        instrument=library.instrument,
        library=library,
        password=password,
        scale=scale,
    )
    db.session.commit()
    click.echo(
        f"Generated {teams} teams, {people} people, {result['self_checks']:,} "
        f"self-checks ({result['answers']:,} answers), {result['cases']:,} cases "
        f"({result['entries']:,} timeline entries, {result['case_reflections']:,} case "
        f"reflections, {result['case_responses']:,} responses), {result['reflections']:,} "
        f"module reflections ({result['responses']:,} responses), {result['sessions']:,} "
        f"review sessions ({result['agenda_items']:,} agenda items, {result['actions']:,} "
        f"actions) in {clock.monotonic() - started:.0f} s."
    )
    click.echo(
        f"Logins (password {password}): staff {result['staff']}, facilitator "
        f"{result['facilitator']}, leader {result['leader']}"
    )
