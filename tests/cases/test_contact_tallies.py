"""Contact tallies: the per-team rollup that team insights read instead of every entry."""

from datetime import date, timedelta

from learning_hub.cases import services
from learning_hub.cases.models import ContactTally, Method, Outcome, TimelineEntry
from learning_hub.core.extensions import db
from tests import factories

START = date.today() - timedelta(days=120)


def tallies(team=None):
    stmt = db.select(
        ContactTally.team_id, ContactTally.method, ContactTally.outcome, ContactTally.entries
    ).where(ContactTally.entries != 0)
    if team is not None:
        stmt = stmt.where(ContactTally.team_id == team.id)
    return {(t, m, o): n for t, m, o, n in db.session.execute(stmt)}


def counted_from_entries():
    from learning_hub.cases.models import Case

    rows = db.session.execute(
        db.select(Case.team_id, TimelineEntry.method, TimelineEntry.outcome, db.func.count())
        .join(Case, TimelineEntry.case_id == Case.id)
        .group_by(Case.team_id, TimelineEntry.method, TimelineEntry.outcome)
    )
    return {(t, m, o): n for t, m, o, n in rows}


def test_recording_entries_keeps_the_tallies_equal_to_the_timeline(world):
    """After entries on two teams' cases, do the tallies match a full count?"""
    factories.create_case(
        world.north,
        world.staff,
        entries=[
            (START, "missed"),
            (START + timedelta(days=3), "no-answer"),
            {"occurred_on": START + timedelta(days=5), "outcome": "reached", "method": "text"},
        ],
    )
    factories.create_case(world.north, world.staff, entries=[(START, "missed")])
    factories.create_case(world.south, world.outsider, entries=[(START, "attended")])
    assert tallies() == counted_from_entries()
    assert tallies(world.north)[(world.north.id, Method.PHONE, Outcome.MISSED)] == 2


def test_purging_a_case_takes_its_entries_out_of_the_tallies(client_for, world):
    """Does an admin purge subtract the purged case's entries?"""
    client = client_for("admin")
    factories.create_case(world.north, world.staff, entries=[(START, "missed")])
    gone = factories.create_case(
        world.north, world.staff, entries=[(START, "missed"), (START, "reached")]
    )
    client.post("/admin/cases/purge", data={"code": gone.code, "reason": "Test purge"})
    assert tallies() == counted_from_entries()
    assert tallies() == {(world.north.id, Method.PHONE, Outcome.MISSED): 1}


def test_rebuild_gives_the_same_tallies_as_keeping_them_on_write(world):
    """Does a rebuild from the timeline agree with the tallies kept on write?"""
    factories.create_case(world.north, world.staff, entries=[(START, "missed"), (START, "reached")])
    kept = tallies()
    services.rebuild_contact_tallies()
    db.session.commit()
    assert tallies() == kept == counted_from_entries()


def test_insights_read_the_tallies(client_for, world):
    """Do team insights show attempts by method from the tallies (with what reached people)?"""
    client_for("staff")
    for _ in range(6):
        factories.create_case(
            world.north,
            world.staff,
            entries=[
                (START, "no-answer"),
                {"occurred_on": START, "outcome": "reached", "method": "visit"},
            ],
        )
    insights = services.team_insights(world.north)
    assert (Method.PHONE, 6, 0) in insights.methods
    assert (Method.VISIT, 6, 6) in insights.methods
    assert dict(insights.outcomes) == {Outcome.NO_ANSWER: 6, Outcome.REACHED: 6}
