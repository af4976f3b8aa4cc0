"""The generated organisation for benchmarks."""

from collections import defaultdict
from datetime import date
from types import SimpleNamespace

from bench import scale
from bench.scale import seed_scale_command
from learning_hub.auth.models import Membership, MembershipRole, Team, User
from learning_hub.cases import services as cases
from learning_hub.cases.guard import scan
from learning_hub.cases.models import (
    Case,
    CaseReflection,
    CaseResponse,
    ContactTally,
    EngagementPlan,
    TimelineEntry,
    Trigger,
)
from learning_hub.core import markdown
from learning_hub.core.extensions import db
from learning_hub.modules import services as modules
from learning_hub.modules.models import ModuleProgress, Reflection, ReflectionResponse
from learning_hub.reviews.models import Action, AgendaItem, ReviewSeries, ReviewSession
from learning_hub.selfchecks.models import PeriodScore, SelfCheck, SelfCheckAnswer
from tests import factories
from tests.conftest import TEST_DATABASE_URL, empty_database

SMALL = ["--teams", "4", "--people", "40", "--years", "1", "--seed", "7"]
HISTORY = (
    SelfCheck,
    Case,
    TimelineEntry,
    CaseReflection,
    Reflection,
    ReflectionResponse,
    ReviewSession,
    AgendaItem,
    Action,
)


def count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


def volumes():
    return {model.__tablename__: count(model) for model in (User, Team, *HISTORY)}


def seed(runner, *extra):
    result = runner.invoke(seed_scale_command, [*SMALL, *extra])
    assert result.exit_code == 0, result.output
    db.session.commit()
    return result


def test_seed_scale_is_deterministic_and_loads_through_bulk_inserts(runner):
    """Does seed-scale create the teams, people and history asked for, and print logins?"""
    result = seed(runner)
    assert db.session.scalar(db.select(db.func.count(Team.id))) == 4
    assert db.session.scalar(db.select(db.func.count(User.id))) == 40
    checks = count(SelfCheck)
    assert checks > 40
    assert count(SelfCheckAnswer) == checks * 24
    assert count(PeriodScore) > 0
    # About 10/3 cases a person-year with ten entries each, 12.5 reflections a person-year.
    assert 100 <= count(Case) <= 160
    assert 8 * count(Case) <= count(TimelineEntry) <= 13 * count(Case)
    assert count(Trigger) > 0 and count(EngagementPlan) > 0
    assert count(CaseReflection) > 0 and count(CaseResponse) > 0
    assert 400 <= count(Reflection) <= 600
    assert 100 <= count(ReflectionResponse) <= 220
    assert count(ModuleProgress) > 0
    assert 40 <= count(ReviewSession) <= 120
    assert count(AgendaItem) > count(ReviewSession)
    assert count(Action) > 0
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Generated 4 teams, 40 people, ")
    assert f"{count(Case):,} cases ({count(TimelineEntry):,} timeline entries" in lines[0]
    assert f"{count(ReviewSession):,} review sessions" in lines[0]
    assert "staff person4@scale7.example.org" in result.output
    assert "facilitator person0@scale7.example.org" in result.output
    assert "leader person39@scale7.example.org" in result.output


def test_rows_written_after_the_bulk_load_get_fresh_ids(app, runner):
    """After seed-scale, do the app's own writes get new ids (PostgreSQL sequences moved on)?"""
    seed(runner)
    if TEST_DATABASE_URL:
        for model in scale.SEQUENCED:
            table = model.__tablename__
            last = db.session.scalar(db.text(f"SELECT last_value FROM {table}_id_seq"))
            assert last >= (db.session.scalar(db.select(db.func.max(model.id))) or 1), table
    team = db.session.scalar(db.select(Team).order_by(Team.id))
    facilitator = db.session.scalar(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id, Membership.role == MembershipRole.FACILITATOR)
    )
    member = db.session.scalar(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id, Membership.role == MembershipRole.MEMBER)
    )
    case = factories.create_case(team, member, entries=[(date.today(), "attended")])
    reflection = factories.create_case_reflection(case, member)
    cases.respond(reflection, facilitator, "Thank you.")
    cases.add_trigger(case, member, kind="feelings", description="Anxious before meetings")
    module = next(iter(app.extensions["content"].library))
    shared = factories.create_reflection(member, module, share_team=team)
    modules.respond(shared, facilitator, "Good point.")
    series = factories.create_review(team, facilitator)
    session = series.sessions[0]
    factories.create_agenda_item(session, member)
    factories.create_action(session, facilitator, member)
    factories.create_selfcheck(app, member)
    factories.create_user(teams={team: "member"})
    db.session.commit()
    # No id collided with a generated row, and the new rows come after them.
    assert case.id == db.session.scalar(db.select(db.func.max(Case.id)))
    assert series.id == db.session.scalar(db.select(db.func.max(ReviewSeries.id)))


def test_stored_rollups_html_and_counters_match_what_the_app_computes(runner):
    """Are spells, patterns, HTML, response counts and module progress what the app stores?"""
    seed(runner)
    for case in db.session.scalars(db.select(Case)):
        assert case.entries, case.code
        last_write = max(e.created_at for e in case.entries).date()
        # What refresh_rollup() wrote when the last entry was recorded.
        expected = SimpleNamespace(entries=case.entries)
        cases.refresh_rollup(expected, today=last_write)
        got = (case.spell_count, case.spell_days, case.in_spell, case.pattern_suggested)
        want = (
            expected.spell_count,
            expected.spell_days,
            expected.in_spell,
            expected.pattern_suggested,
        )
        assert got == want, case.code
        assert case.context_html == str(markdown.render(case.context))
        assert case.created_at <= case.entries[0].created_at
        assert case.updated_at >= max(e.created_at for e in case.entries)
        assert case.is_closed == (case.closed_at is not None)
    tallies = db.session.execute(
        db.select(
            ContactTally.team_id, ContactTally.method, ContactTally.outcome, ContactTally.entries
        )
    ).all()
    recount = db.session.execute(
        db.select(Case.team_id, TimelineEntry.method, TimelineEntry.outcome, db.func.count())
        .join(Case, TimelineEntry.case_id == Case.id)
        .group_by(Case.team_id, TimelineEntry.method, TimelineEntry.outcome)
    ).all()
    assert sorted(tallies) == sorted(recount)
    for reflection in db.session.scalars(db.select(CaseReflection)):
        assert reflection.plan_html == str(markdown.render(reflection.plan))
        team_ids = {m.team_id for m in reflection.author.memberships}
        assert reflection.case.team_id in team_ids
    for reflection in db.session.scalars(db.select(Reflection)):
        assert reflection.body_html == str(markdown.render(reflection.body))
        assert reflection.response_count == len(reflection.responses)
        for response in reflection.responses:
            assert reflection.is_shared and response.created_at >= reflection.shared_at
            assert response.author_id != reflection.author_id
    library = runner.app.extensions["content"].library
    answered = defaultdict(set)
    latest = {}
    for author_id, slug, prompt_id, created_at in db.session.execute(
        db.select(
            Reflection.author_id,
            Reflection.module_slug,
            Reflection.prompt_id,
            Reflection.created_at,
        )
    ):
        answered[author_id, slug].add(prompt_id)
        latest[author_id, slug] = max(latest.get((author_id, slug), created_at), created_at)
    progress = {
        (p.user_id, p.module_slug): p for p in db.session.scalars(db.select(ModuleProgress))
    }
    assert set(progress) == set(answered)
    for key, record in progress.items():
        module = library.get(key[1])
        complete = module.prompt_ids <= answered[key]
        assert record.reflected_at == (latest[key] if complete else None)
        assert record.reflected_version == (module.version if complete else None)
        assert record.answered_prompts == sorted(answered[key])
    for item in db.session.scalars(db.select(AgendaItem)):
        assert item.notes_html == str(markdown.render(item.notes))
        assert item.decisions_html == str(markdown.render(item.decisions))
        if item.case_id:
            assert item.case.team_id == item.session.team_id
            assert item.case.created_at <= item.created_at
    for action in db.session.scalars(db.select(Action)):
        assert action.owner.membership_in(action.team_id) is not None


def test_generated_texts_pass_the_anonymisation_guard(runner):
    """Does every generated text pass the guard (pii-scan finds nothing)?"""
    texts = [
        *scale.CONTEXTS,
        *(t for group in scale.NOTES.values() for t in group),
        *(t for group in scale.TRIGGERS.values() for t in group),
        *scale.PREFERRED_TIMES,
        *scale.OTHERS_MAY_CONTACT,
        *scale.DURING_DISENGAGEMENT,
        *scale.REMINDERS,
        *scale.IDENTIFY,
        *scale.ANALYSE,
        *scale.PLANS,
        *scale.OTHER_FEELINGS,
        *scale.CASE_RESPONSES,
        *scale.REFLECTION_OPENINGS,
        *scale.REFLECTION_MIDDLES,
        *scale.REFLECTION_RESPONSES,
        *scale.CASE_ITEM_TITLES,
        *scale.CASE_REFLECTION_ITEM_TITLES,
        *scale.ITEM_NOTES,
        *scale.ITEM_DECISIONS,
        *scale.ACTIONS,
        *scale.DONE_NOTES,
    ]
    assert {t: scan(t) for t in texts if scan(t)} == {}
    seed(runner)
    result = runner.invoke(args=["pii-scan"])
    assert result.exit_code == 0, result.output


def test_same_seed_gives_the_same_organisation(runner):
    """Twice into an empty database with the same seed: the same volumes and case codes?"""

    def snapshot():
        codes = db.session.execute(
            db.select(Case.code, Case.pattern_suggested, Case.spell_count).order_by(Case.id)
        ).all()
        return volumes(), codes

    seed(runner)
    first = snapshot()
    empty_database()
    seed(runner)
    assert snapshot() == first
    assert len({code for code, _, _ in first[1]}) == len(first[1])


def test_scale_multiplies_the_history_and_keeps_the_people(runner):
    """With --scale 2, is the history about twice as large for the same people and teams?"""
    seed(runner)
    once = volumes()
    empty_database()
    seed(runner, "--scale", "2")
    twice = volumes()
    assert twice["users"] == once["users"] and twice["teams"] == once["teams"]
    for model in HISTORY:
        name = model.__tablename__
        assert 1.6 <= twice[name] / once[name] <= 2.5, (name, once[name], twice[name])
    assert db.session.scalar(db.select(db.func.count(ReviewSeries.id.distinct()))) > 0


def test_generated_pages_render_for_a_member(runner, client_for):
    """Do a generated case, its reflection, a past session and the team pages open for a member?"""
    seed(runner)
    member = db.session.scalar(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == MembershipRole.MEMBER)
        .order_by(User.id)
    )
    team_id = member.memberships[0].team_id
    client = client_for(member)
    reflection = db.session.scalar(
        db.select(CaseReflection)
        .join(Case, Case.id == CaseReflection.case_id)
        .where(Case.team_id == team_id, Case.is_closed.is_(False))
        .order_by(CaseReflection.id)
    )
    case = reflection.case
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert case.code in text and case.entries[-1].outcome.label in text
    page = client.get(f"/cases/{case.id}/reflections/{reflection.id}")
    assert page.status_code == 200
    assert reflection.identify_html in page.get_data(as_text=True)
    session = db.session.scalar(
        db.select(ReviewSession)
        .join(Action, Action.session_id == ReviewSession.id)
        .join(AgendaItem, AgendaItem.session_id == ReviewSession.id)
        .where(ReviewSession.team_id == team_id, AgendaItem.notes != "")
        .order_by(ReviewSession.starts_at.desc())
    )
    page = client.get(f"/sessions/{session.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    noted = next(i for i in session.items if i.notes)
    assert noted.notes_html in text and session.actions[0].description in text
    assert client.get(f"/sessions/{session.id}/summary").status_code == 200
    for url in (
        f"/teams/{team_id}/cases",
        f"/teams/{team_id}/insights",
        f"/teams/{team_id}/sessions",
        f"/teams/{team_id}/reflections",
        "/modules",
        "/",
    ):
        assert client.get(url).status_code == 200, url
    other = db.session.scalar(db.select(Case).where(Case.team_id != team_id).limit(1))
    assert client.get(f"/cases/{other.id}").status_code == 404


def test_demo_data_loads_beside_a_generated_organisation(runner):
    """Does seed-demo succeed after seed-scale, with responses only within the demo teams?"""
    assert runner.invoke(seed_scale_command, SMALL).exit_code == 0
    result = runner.invoke(args=["seed-demo", "--password", "demo-password-123"])
    assert result.exit_code == 0, result.output
    demo_responses = db.session.execute(
        db.select(Reflection.shared_team_id, Team.name)
        .join(ReflectionResponse, ReflectionResponse.reflection_id == Reflection.id)
        .join(User, ReflectionResponse.author_id == User.id)
        .join(Team, Team.id == Reflection.shared_team_id)
        .where(User.email.like("%@example.org"))
    ).all()
    assert demo_responses and {name for _, name in demo_responses} <= {"North", "South"}
