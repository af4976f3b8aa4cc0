"""The monthly participation rollup stays equal to a count of the rows it stands for."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bench.scale import seed_scale_command
from learning_hub.auth.models import Membership, User
from learning_hub.core.extensions import db
from learning_hub.dashboard import participation
from learning_hub.dashboard import services as dashboard
from learning_hub.dashboard.participation import ParticipationMonth
from learning_hub.modules import services as modules
from learning_hub.modules.models import Reflection, ReflectionResponse
from learning_hub.privacy import erasure
from learning_hub.reviews.models import AgendaItem
from learning_hub.selfchecks.models import CheckStatus, SelfCheck
from tests import factories, querycount
from tests.lifecycle_material import write_everything


def from_source():
    """{(person, month, kind): count}, counted in Python from every source row."""
    counted = Counter()
    sources = (
        ("reflections", Reflection, "author_id", "created_at"),
        ("responses", ReflectionResponse, "author_id", "created_at"),
        ("self_checks", SelfCheck, "user_id", "submitted_at"),
        ("agenda_items", AgendaItem, "raised_by_id", "created_at"),
    )
    for kind, model, person, when in sources:
        for row in db.session.scalars(db.select(model)):
            if kind == "self_checks" and row.status != CheckStatus.SUBMITTED:
                continue
            who, moment = getattr(row, person), getattr(row, when)
            if who is not None and moment is not None:
                moment = moment.astimezone(UTC)
                counted[(who, date(moment.year, moment.month, 1), kind)] += 1
    return dict(counted)


def rollup():
    """{(person, month, kind): count} as the rollup holds it (rows at zero left out)."""
    rows = db.session.execute(
        db.select(
            ParticipationMonth.user_id,
            ParticipationMonth.month_on,
            ParticipationMonth.kind,
            ParticipationMonth.count,
        )
    )
    return {(who, month, kind): count for who, month, kind, count in rows if count}


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
    assert rollup() == {
        (world.staff.id, month, "reflections"): 1,
        (world.facilitator.id, month, "responses"): 1,
        (world.staff.id, month, "self_checks"): 1,
        (world.staff.id, month, "agenda_items"): 1,
    }
    assert rollup() == from_source()


def test_a_draft_counts_only_once_submitted(app, world):
    """Is a draft self-check nobody's participation, until it is submitted in its month?"""
    draft = factories.create_selfcheck(app, world.staff, submit=False)
    assert rollup() == {}
    draft.submit()
    draft.submitted_at = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
    db.session.commit()
    assert rollup() == {(world.staff.id, date(2026, 3, 1), "self_checks"): 1}


def test_a_row_moved_to_another_month_moves_its_count(world, module):
    """When a reflection's time changes, does its count leave the old month for the new?"""
    reflection = factories.create_reflection(world.staff, module)
    reflection.created_at = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    db.session.commit()
    assert rollup() == {(world.staff.id, date(2025, 3, 1), "reflections"): 1}
    # A time given in another zone counts in its UTC month: 1 February 01:30 at UTC+2
    # is 31 January 23:30 in UTC.
    reflection.created_at = datetime(2025, 2, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    db.session.commit()
    assert rollup() == {(world.staff.id, date(2025, 1, 1), "reflections"): 1}
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
    # The shared reflection stays, attributed to "Former member"; the private one has gone.
    assert sum(n for (who, _, kind), n in rollup().items() if kind == "reflections") == 2


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


def test_participation_counts_only_current_members_in_the_months(app, world, module):
    """Are totals given per team for its current members, in the months asked for only?"""
    factories.create_reflection(world.staff, module)
    old = factories.create_reflection(world.staff, module, module.prompts[-1])
    old.created_at = datetime(2024, 6, 3, tzinfo=UTC)
    shared = factories.create_reflection(world.outsider, module, share_team=world.south)
    modules.respond(shared, world.outsider, "Noting what changed since.")
    factories.create_selfcheck(app, world.facilitator)
    db.session.commit()
    now = datetime.now(UTC)
    month = date(now.year, now.month, 1)
    nothing = {"reflections": 0, "responses": 0, "self_checks": 0, "agenda_items": 0}
    totals = participation.team_totals([world.north.id, world.south.id], month, month)
    assert totals == {
        world.north.id: {**nothing, "active_people": 2, "reflections": 1, "self_checks": 1},
        world.south.id: {**nothing, "active_people": 1, "reflections": 1, "responses": 1},
    }
    since = participation.team_totals([world.north.id], date(2024, 6, 1), month)
    assert since[world.north.id]["reflections"] == 2
    before = participation.team_totals([world.north.id], date(2024, 1, 1), date(2024, 5, 1))
    assert before == {world.north.id: {**nothing, "active_people": 0}}
    # Someone who leaves the team takes their writing with them.
    leaving = db.session.scalar(
        db.select(Membership).where(Membership.user_id == world.facilitator.id)
    )
    db.session.delete(leaving)
    db.session.commit()
    row = dashboard.participation([world.north], month, month)[0]
    assert (row.active_people, row.counts["reflections"], row.counts["self_checks"]) == (1, 1, 0)


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
