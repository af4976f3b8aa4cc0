"""A contribution belongs to the teams its author was in when it was made: joins and
leaves never change a figure about the past."""

from datetime import UTC, date, datetime, timedelta

import pytest

from learning_hub.admin import services as admin
from learning_hub.auth.models import MembershipSpell, teams_at
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.dashboard import participation
from learning_hub.selfchecks import services as selfchecks
from tests import factories

LAST_MONTH = date(2026, 11, 1)
IN_LAST_MONTH = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def _figures(*teams):
    """Every (team, month, principle) figure the leaders would see, as the cache gives it."""
    rows = selfchecks.team_period_rows([t.id for t in teams], date(2026, 1, 1), date(2026, 12, 1))
    return sorted(rows)


@pytest.fixture
def north_of_four(app, world, create_user):
    """North: four people, each with a self-check last month (staff's rates 1, the rest 4)."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(2)
    ]
    for person in people:
        factories.create_selfcheck(
            app, person, 1 if person is world.staff else 4, submitted_at=IN_LAST_MONTH
        )
    return people


def test_joining_and_leaving_open_and_end_a_spell(world):
    """Does the admin's add and remove of a member date a spell, and the spell say which
    teams someone was in at a moment?"""
    person = factories.create_user(name="Newcomer")
    admin.set_membership(world.south, person, "member", by=world.admin)
    db.session.commit()
    admin.remove_membership(world.south, person, by=world.admin)
    db.session.commit()
    spell = db.session.scalars(
        db.select(MembershipSpell).where(MembershipSpell.user_id == person.id)
    ).one()
    assert spell.started_at is not None and spell.ended_at >= spell.started_at
    during = spell.started_at + (spell.ended_at - spell.started_at) / 2
    connection = db.session.connection()
    assert teams_at(connection, person.id, during) == [world.south.id]
    assert teams_at(connection, person.id, utcnow() + timedelta(seconds=1)) == []
    assert teams_at(connection, person.id, spell.started_at - timedelta(days=1)) == []


def test_a_leaver_leaves_the_teams_past_as_it_was(north_of_four, world):
    """Is every figure of North the same after someone leaves as it was before?"""
    before = _figures(world.north)
    assert before and all(mean is not None for _, _, _, mean, _ in before)
    admin.remove_membership(world.north, world.staff, by=world.admin)
    db.session.commit()
    assert _figures(world.north) == before


def test_a_newcomer_brings_no_past_with_them(app, north_of_four, world, create_user):
    """Does someone who joins North carry none of their earlier scores into its months?"""
    before = _figures(world.north)
    newcomer = create_user(teams={world.south: "member"})
    factories.create_selfcheck(app, newcomer, 1, submitted_at=IN_LAST_MONTH)
    admin.set_membership(world.north, newcomer, "member", by=world.admin)
    db.session.commit()
    assert _figures(world.north) == before
    # What they submit once they belong counts for both the teams they are in now.
    factories.create_selfcheck(app, newcomer, 2)
    this_month = date.today().replace(day=1)
    people_now = {
        team: people
        for team, month, _, _, people in _figures(world.north, world.south)
        if month == this_month
    }
    assert people_now == {world.north.id: 1, world.south.id: 1}


def test_two_teams_that_differ_by_one_member_are_not_both_shown(
    app, north_of_four, world, create_user
):
    """X has North's four, Y three of them: X's figure minus Y's would be staff's score.
    Is one of the two hidden for that month?"""
    y = factories.create_team("Nearly North")
    for person in north_of_four[1:]:
        admin.set_membership(y, person, "member", by=world.admin)
    db.session.execute(db.update(MembershipSpell).values(started_at=None))
    db.session.commit()
    shown = {
        (team, month)
        for team, month, _, mean, _ in _figures(world.north, y)
        if mean is not None and month == LAST_MONTH
    }
    assert len(shown) == 1


def test_participation_stays_with_the_team_it_was_written_in(app, world, create_user):
    """A person in North and South writes; they leave South. Do South's counts stay?"""
    module = next(iter(app.extensions["content"].library))
    both = create_user(teams={world.north: "member", world.south: "member"})
    factories.create_reflection(both, module)
    month = date.today().replace(day=1)
    before = participation.team_totals([world.north.id, world.south.id], month, month, 1)
    assert before[world.south.id]["reflections"] == 1 == before[world.north.id]["reflections"]
    admin.remove_membership(world.south, both, by=world.admin)
    db.session.commit()
    assert participation.team_totals([world.north.id, world.south.id], month, month, 1) == before
