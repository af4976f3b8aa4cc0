"""The monthly participation rollup stays equal to a count of the rows it stands for."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bench.scale import seed_scale_command
from learning_hub.auth.models import Membership, MembershipSpell, User
from learning_hub.cases.models import Case, CaseReflection, CaseResponse
from learning_hub.core.extensions import db
from learning_hub.dashboard import participation
from learning_hub.dashboard.participation import ParticipationMonth
from learning_hub.modules import services as modules
from learning_hub.modules.models import Reflection, ReflectionResponse
from learning_hub.privacy import erasure
from learning_hub.reviews.models import Action, AgendaItem, ReviewSession
from learning_hub.selfchecks.models import CheckStatus, SelfCheck
from tests import factories, querycount
from tests.lifecycle_material import write_everything


def _team_bound(row):
    """The team whose space a row was written in, or None for writing of one's own."""
    if isinstance(row, AgendaItem):
        return db.session.get(ReviewSession, row.session_id).team_id
    if isinstance(row, CaseReflection):
        return db.session.get(Case, row.case_id).team_id
    if isinstance(row, CaseResponse):
        reflection = db.session.get(CaseReflection, row.reflection_id)
        return db.session.get(Case, reflection.case_id).team_id
    if isinstance(row, Action):
        return row.team_id
    return None


def _teams_at(person, moment):
    """The teams ``person`` was in at ``moment``, from their spells, worked out in Python."""
    return [
        spell.team_id
        for spell in db.session.scalars(
            db.select(MembershipSpell).where(MembershipSpell.user_id == person)
        )
        if (spell.started_at is None or spell.started_at <= moment)
        and (spell.ended_at is None or moment < spell.ended_at)
    ]


def from_source():
    """{(team, person, month, kind): count}, counted in Python from every source row."""
    counted = Counter()
    sources = (
        ("reflections", Reflection, "author_id", "created_at"),
        ("responses", ReflectionResponse, "author_id", "created_at"),
        ("self_checks", SelfCheck, "user_id", "submitted_at"),
        ("agenda_items", AgendaItem, "raised_by_id", "created_at"),
        ("case_reflections", CaseReflection, "author_id", "created_at"),
        ("case_responses", CaseResponse, "author_id", "created_at"),
        ("actions_done", Action, "owner_id", "done_at"),
    )
    for kind, model, person, when in sources:
        for row in db.session.scalars(db.select(model)):
            if kind == "self_checks" and row.status != CheckStatus.SUBMITTED:
                continue
            who, moment = getattr(row, person), getattr(row, when)
            if who is not None and moment is not None:
                team = _team_bound(row)
                teams = [team] if team is not None else _teams_at(who, moment)
                moment = moment.astimezone(UTC)
                for team in teams:
                    counted[(team, who, date(moment.year, moment.month, 1), kind)] += 1
    return dict(counted)


def rollup():
    """{(team, person, month, kind): count} as the rollup holds it (rows at zero left out)."""
    rows = db.session.execute(
        db.select(
            ParticipationMonth.team_id,
            ParticipationMonth.user_id,
            ParticipationMonth.month_on,
            ParticipationMonth.kind,
            ParticipationMonth.count,
        )
    )
    return {(team, who, month, kind): count for team, who, month, kind, count in rows if count}


@pytest.fixture
def module(app):
    return next(iter(app.extensions["content"].library))


def test_every_kind_of_writing_is_counted_in_its_month(app, world, module):
    """Do reflections, responses, submitted self-checks and agenda items each add one?"""
    shared = factories.create_reflection(world.staff, module, share_team=world.north)
    modules.respond(shared, world.facilitator, "That rings true for our team too.")
    factories.create_selfcheck(app, world.staff)
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    factories.create_agenda_item(session, world.staff)
    db.session.commit()
    now = datetime.now(UTC)
    month = date(now.year, now.month, 1)
    north = world.north.id
    assert rollup() == {
        (north, world.staff.id, month, "reflections"): 1,
        (north, world.facilitator.id, month, "responses"): 1,
        (north, world.staff.id, month, "self_checks"): 1,
        (north, world.staff.id, month, "agenda_items"): 1,
    }
    assert rollup() == from_source()


def test_a_draft_counts_only_once_submitted(app, world):
    """Is a draft self-check nobody's participation, until it is submitted in its month?"""
    draft = factories.create_selfcheck(app, world.staff, submit=False)
    assert rollup() == {}
    draft.submit()
    draft.submitted_at = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
    db.session.commit()
    assert rollup() == {(world.north.id, world.staff.id, date(2026, 3, 1), "self_checks"): 1}


def test_a_row_moved_to_another_month_moves_its_count(world, module):
    """When a reflection's time changes, does its count leave the old month for the new?"""
    reflection = factories.create_reflection(world.staff, module)
    reflection.created_at = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    db.session.commit()
    assert rollup() == {(world.north.id, world.staff.id, date(2025, 3, 1), "reflections"): 1}
    # A time given in another zone counts in its UTC month: 1 February 01:30 at UTC+2
    # is 31 January 23:30 in UTC.
    reflection.created_at = datetime(2025, 2, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    db.session.commit()
    assert rollup() == {(world.north.id, world.staff.id, date(2025, 1, 1), "reflections"): 1}
    assert rollup() == from_source()


def test_deleting_a_reflection_takes_its_responses_with_it(app, world, module):
    """Does deleting a shared reflection take one from its author and from each responder?"""
    shared = factories.create_reflection(world.staff, module, share_team=world.north)
    modules.respond(shared, world.facilitator, "Thank you for writing this.")
    db.session.commit()
    modules.delete_reflection(shared, app.extensions["content"].library)
    db.session.commit()
    assert rollup() == {} == from_source()


def test_a_removed_session_takes_its_agenda_items_with_it(world):
    """When an ended series removes a session, do its agenda items stop counting?"""
    series = factories.create_review(world.north, world.facilitator)
    first, later = series.sessions[0], series.sessions[-1]
    factories.create_agenda_item(later, world.staff)
    assert rollup() == from_source() != {}
    db.session.delete(later)
    db.session.commit()
    assert first is not later
    assert rollup() == from_source() == {}


def test_erasing_a_person_recounts_them_and_those_who_answered_them(app, world):
    """After an erasure's bulk deletes, are the person and their responders recounted?"""
    write_everything(app, world)
    assert rollup() == from_source()
    erasure.erase_person(world.staff, world.admin)
    db.session.commit()
    assert rollup() == from_source()
    # The shared reflection stays, attributed to "Former member", but with their spells
    # gone their own writing counts for no team; the private one has gone altogether.
    # What they wrote in a team's space (the agenda item, the case reflection) still counts.
    kinds = {kind for (_, who, _, kind) in rollup() if who == world.staff.id}
    assert "reflections" not in kinds and {"agenda_items", "case_reflections"} <= kinds


def test_a_failed_flush_leaves_no_step_behind(world, module):
    """When a flush fails and is rolled back, is nothing it meant to count carried over?"""
    reflection = factories.create_reflection(world.staff, module)
    db.session.delete(reflection)
    db.session.add(User(email=world.facilitator.email, display_name="Twin"))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.session.flush()
    db.session.rollback()
    factories.create_reflection(world.facilitator, module)
    assert rollup() == from_source()


def test_rebuild_recounts_from_the_rows(app, world):
    """Does a rebuild, for everyone or for some people, give what the writes kept?"""
    write_everything(app, world)
    kept = rollup()
    participation.rebuild(db.session.connection(), [world.staff.id])
    assert rollup() == kept
    participation.rebuild(db.session.connection())
    assert rollup() == kept == from_source()


def test_seed_scale_fills_the_rollup(app, runner):
    """Does the generated organisation's rollup match its rows?"""
    result = runner.invoke(
        seed_scale_command, ["--teams", "3", "--people", "20", "--years", "1", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert rollup() == from_source() != {}


def test_the_dashboard_counts_from_one_statement_over_the_rollup(app, client_for, world):
    """Does the cold dashboard read participation from the rollup, never the rows it counts?"""
    client = client_for("leader")
    with querycount.counting(db.engine) as statements:
        assert client.get("/dashboard/drift").status_code == 200
    text = "\n".join(statements)
    assert text.count("FROM participation_months") == 1
    for table in ("reflection_responses", "agenda_items"):
        assert f"FROM {table}" not in text and f"JOIN {table}" not in text


def test_participation_counts_what_was_written_in_the_team_in_the_months(app, world, module):
    """Are totals given per team for what its members wrote while in it, in the months
    asked for only, and does a leaver's writing stay with the team they left?"""
    factories.create_reflection(world.staff, module)
    old = factories.create_reflection(world.staff, module, module.prompts[-1])
    old.created_at = datetime(2024, 6, 3, tzinfo=UTC)
    shared = factories.create_reflection(world.outsider, module, share_team=world.south)
    modules.respond(shared, world.outsider, "Noting what changed since.")
    factories.create_selfcheck(app, world.facilitator)
    db.session.commit()
    now = datetime.now(UTC)
    month = date(now.year, now.month, 1)
    nothing = dict.fromkeys(participation.KIND_NAMES, 0)
    totals = participation.team_totals([world.north.id, world.south.id], month, month, 2)
    assert totals == {
        world.north.id: {
            **nothing,
            "active_people": 2,
            "hidden": False,
            "reflections": 1,
            "self_checks": 1,
        },
        world.south.id: {
            **nothing,
            "active_people": 1,
            "hidden": True,
            "reflections": 1,
            "responses": 1,
        },
    }
    since = participation.team_totals([world.north.id], date(2024, 6, 1), month, 2)
    assert since[world.north.id]["reflections"] == 2
    before = participation.team_totals([world.north.id], date(2024, 1, 1), date(2024, 5, 1), 2)
    assert before == {world.north.id: {**nothing, "active_people": 0, "hidden": True}}
    # Someone who leaves the team leaves what they wrote in it behind: the past stays.
    leaving = db.session.scalar(
        db.select(Membership).where(Membership.user_id == world.facilitator.id)
    )
    db.session.delete(leaving)
    db.session.commit()
    after = participation.team_totals([world.north.id], month, month, 2)
    assert after == {world.north.id: totals[world.north.id]}
    # What they write after leaving counts for no team of theirs.
    factories.create_reflection(world.facilitator, module, module.prompts[-1])
    assert participation.team_totals([world.north.id], month, month, 2) == after


def test_the_rebuild_command_recounts_what_was_written_around_the_session(runner, world, module):
    """After rows are deleted behind the application's back, does the command put the
    rollup right?"""
    factories.create_reflection(world.staff, module)
    kept = factories.create_reflection(world.staff, module, module.prompts[-1])
    db.session.execute(db.delete(Reflection).where(Reflection.id != kept.id))
    db.session.commit()
    assert rollup() != from_source()
    result = runner.invoke(args=["rebuild-participation"])
    assert result.exit_code == 0, result.output
    assert "Recounted participation: 1 person-month counts." in result.output
    db.session.remove()
    assert rollup() == from_source() != {}
