"""Write the demo organisation (``content/demo/``) through the app's own services.

Safe to run twice: people and teams are looked up by e-mail and name, and each
kind of history is added only where it is missing.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from learning_hub.admin.services import create_team, set_membership
from learning_hub.auth.models import MembershipSpell, Team, User
from learning_hub.auth.services import find_user_by_email, set_password
from learning_hub.cases import services as cases
from learning_hub.cases.models import Case
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.modules import services as modules
from learning_hub.modules.models import Reflection
from learning_hub.reviews import services as reviews
from learning_hub.reviews.models import ReviewSeries
from learning_hub.selfchecks import services as selfchecks
from learning_hub.selfchecks.models import CheckStatus, SelfCheck, SelfCheckAnswer


def seed_demo(demo, library, password):
    """Create (or top up) everything in ``demo``; returns the logins as
    ``(email, role, "Team (role), ...")``."""
    logins = seed_people(demo, password)
    seed_learning(demo, library)
    seed_selfchecks(demo, library)
    seed_cases(demo)
    seed_reviews(demo)
    return logins


def database_is_empty():
    return db.session.scalar(db.select(db.func.count(User.id))) == 0


def seed_people(demo, password):
    """The teams and people, each person with ``password`` and their memberships."""
    teams = {}
    for spec in demo.people.teams:
        team = db.session.scalar(db.select(Team).where(Team.name == spec.name))
        if team is None:
            team = create_team(
                name=spec.name, description=spec.description, timezone="Europe/London", by=None
            )
        if spec.selfcheck_cadence_weeks and not team.selfcheck_cadence_weeks:
            team.selfcheck_cadence_weeks = spec.selfcheck_cadence_weeks
        teams[spec.name] = team
    logins, people = [], []
    for person in demo.people.people:
        user = find_user_by_email(person.email)
        if user is None:
            user = User(email=person.email, display_name=person.name, role=person.role)
            db.session.add(user)
            set_password(user, password)
            db.session.flush()
        people.append(user.id)
        for team_name, team_role in person.teams.items():
            if user.membership_in(teams[team_name].id) is None:
                set_membership(teams[team_name], user, team_role, by=None)
        memberships = ", ".join(f"{t} ({r})" for t, r in person.teams.items())
        logins.append((person.email, person.role.value, memberships))
    db.session.flush()
    # The demo's people were in their teams before its history begins: what it dates in
    # the past counts for their teams.
    db.session.execute(
        sa.update(MembershipSpell)
        .where(MembershipSpell.user_id.in_(people))
        .values(started_at=None)
    )
    return logins


def _user(demo, handle):
    return find_user_by_email(demo.person(handle).email)


def _teams():
    return {t.name: t for t in db.session.scalars(db.select(Team))}


def seed_learning(demo, library, now=None):
    """Module reflections, progress, a response to a shared reflection, and goals."""
    now = now or utcnow()
    teams = _teams()
    for spec in demo.learning.reflections:
        user, module = _user(demo, spec.by), library.get(spec.module)
        if module is None or db.session.scalar(
            db.select(Reflection.id)
            .where(Reflection.author_id == user.id, Reflection.module_slug == spec.module)
            .limit(1)
        ):
            continue
        when = now - timedelta(days=spec.days_ago)
        for prompt, text in zip(module.prompts, spec.answers, strict=False):
            reflection = modules.write_reflection(
                user, module, prompt, text, teams.get(spec.shared_with)
            )
            reflection.created_at = reflection.updated_at = when
            if reflection.shared_at:
                reflection.shared_at = when
        progress = modules.progress_record(user, module)
        if progress is not None:
            progress.started_at = when
            if progress.reflected_at:
                progress.reflected_at = when
    for spec in demo.learning.responses:
        user = _user(demo, spec.by)
        # A reflection shared with one of the responder's own teams (other
        # organisations' data, such as a generated one, may share the database).
        reflection = db.session.scalar(
            db.select(Reflection)
            .where(
                Reflection.module_slug == spec.module,
                Reflection.shared_team_id.in_(user.team_ids()),
            )
            .order_by(Reflection.id)
            .limit(1)
        )
        if reflection is not None and not reflection.responses:
            response = modules.respond(reflection, user, spec.text)
            response.created_at = now - timedelta(days=spec.days_ago)
    for spec in demo.learning.goals:
        user = _user(demo, spec.by)
        if not modules.goals_of(user):
            modules.save_goal(
                user,
                description=spec.description,
                principles=list(spec.principles),
                module_slugs=list(spec.modules),
                target_on=(now + timedelta(days=spec.target_in_days)).date(),
                share_team=teams.get(spec.shared_with),
            )
    db.session.flush()


def seed_selfchecks(demo, library, now=None):
    """A year of self-checks, about six weeks apart, for every member of a team.

    Each person starts at a random level per principle; the drifting team falls on
    its principles over the second half of the year, the rising team climbs a little.
    The same data gives the same checks (the dates move with today).
    """
    instrument = library.instrument
    if instrument is None:
        return
    now = now or utcnow()
    rng = random.Random(2026)
    plan = demo.selfchecks
    for person in demo.people.people:
        if not person.teams:
            continue
        user = find_user_by_email(person.email)
        if db.session.scalar(db.select(SelfCheck.id).where(SelfCheck.user_id == user.id).limit(1)):
            continue
        team_name = next(iter(person.teams))
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
                if (
                    team_name == plan.drift.team
                    and section.key in plan.drift.principles
                    and progress > 0.5
                ):
                    mean -= 3.2 * (progress - 0.5)
                elif team_name == plan.rise.team:
                    mean += 0.4 * progress
                for item in section.items:
                    rating = round(min(4, max(0, rng.gauss(mean, 0.45))))
                    check.answers.append(
                        SelfCheckAnswer(item_id=item.id, principle=item.principle, rating=rating)
                    )
            if person.handle == plan.notes.by and days_ago < 60:
                check.notes = dict(plan.notes.answers)
            db.session.add(check)
            db.session.flush()
            selfchecks.record_period_scores(check)
            days_ago -= rng.randint(35, 50)
    db.session.flush()


def seed_cases(demo, today=None):
    """Each case with its timeline, triggers, pattern, plan and reflection, opened by
    its team's ``cases_opened_by``; a team that already has cases gets none."""
    today = today or date.today()
    teams = {}
    for spec in demo.cases:
        teams.setdefault(spec.team, []).append(spec)
    for team_name, specs in teams.items():
        team = db.session.scalar(db.select(Team).where(Team.name == team_name))
        if db.session.scalar(db.select(Case.id).where(Case.team_id == team.id).limit(1)):
            continue
        spec = next(t for t in demo.people.teams if t.name == team_name)
        opener = _user(demo, spec.cases_opened_by)
        for spec in specs:
            _seed_case(demo, team, opener, spec, today)
    db.session.flush()


def _seed_case(demo, team, opener, spec, today):
    case = cases.create_case(
        team, opener, gender=spec.gender, age_band=spec.age_band, context=spec.context
    )
    case.created_at = _at(today - timedelta(days=spec.opened_days_ago))
    for entry in spec.timeline:
        cases.record_entry(
            case,
            opener,
            occurred_on=today - timedelta(days=entry.days_ago),
            method=entry.method,
            initiated_by=entry.initiated_by,
            outcome=entry.outcome,
            note=entry.note,
        )
    for trigger in spec.triggers:
        cases.add_trigger(case, opener, kind=trigger.kind, description=trigger.description)
    if spec.pattern:
        cases.confirm_pattern(case, opener, spec.pattern)
    plan = spec.plan
    if plan:
        cases.save_plan(
            case,
            opener,
            made_with_person=plan.made_with_person,
            preferred_times=plan.preferred_times,
            preferred_methods=list(plan.preferred_methods),
            others_may_contact=plan.others_may_contact,
            during_disengagement=plan.during_disengagement,
            reminders=plan.reminders,
            agreed_on=today - timedelta(days=plan.agreed_days_ago),
            review_on=today + timedelta(days=plan.review_in_days),
        )
    reflection = spec.reflection
    if reflection:
        written = cases.write_reflection(
            case,
            _user(demo, reflection.author),
            identify=reflection.identify,
            analyse=reflection.analyse,
            plan=reflection.plan,
            feelings=list(reflection.feelings),
            other_feeling=reflection.other_feeling,
        )
        for response in reflection.responses:
            cases.respond(written, _user(demo, response.by), response.text)
    case.updated_at = _at(today - timedelta(days=spec.timeline[-1].days_ago))
    if spec.closed:
        case.close()


def seed_reviews(demo):
    """A series for each team with a facilitator, begun six weeks ago on a Tuesday;
    each past session has an agenda item with notes and an action."""
    series_spec, items = demo.reviews.series, demo.reviews.items
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
            title=series_spec.title,
            location=series_spec.location,
            local_start=datetime.combine(start, series_spec.start_time),
            duration_minutes=series_spec.duration_minutes,
            rule_text=series_spec.rule,
            until=None,
        )
        case = db.session.scalar(db.select(Case).where(Case.team_id == team.id).limit(1))
        past = [s for s in series.sessions if s.starts_at.date() < today]
        for number, session in enumerate(past):
            spec = items[number % len(items)]
            is_case = spec.kind == "case"
            item = reviews.propose_item(
                session,
                members[number % len(members)],
                kind=spec.kind,
                title=f"{spec.title} ({case.code})" if is_case and case else spec.title,
                timebox=spec.timebox_minutes,
                case=case if is_case else None,
            )
            reviews.save_notes(
                item, notes=spec.notes, decisions=spec.decisions, version=item.version
            )
            action = reviews.add_action(
                session,
                facilitator,
                item=item,
                owner=members[(number + 1) % len(members)],
                description=spec.action,
                due_on=today + timedelta(days=7 + number),
            )
            if number == 0:
                action.mark_done(demo.reviews.first_action_done)
    db.session.flush()


def _at(day):
    return datetime.combine(day, time(10, 0), tzinfo=UTC)
