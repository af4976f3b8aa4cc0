"""A case page's timeline and triggers are cached on the case's version, never stale."""

import re
from datetime import date, timedelta

import pytest

from learning_hub.cases import routes
from learning_hub.cases.models import (
    Case,
    Initiator,
    Method,
    Outcome,
    TimelineEntry,
    Trigger,
    TriggerKind,
)
from learning_hub.core.extensions import db
from tests import factories, querycount
from tests.conftest import without_csrf

TODAY = date.today()


@pytest.fixture
def case(world):
    entries = [
        (TODAY - timedelta(days=40), "reached"),
        (TODAY - timedelta(days=30), "no-answer"),
        (TODAY - timedelta(days=25), "missed"),
    ]
    return factories.create_case(world.north, world.staff, entries=entries)


def page(client, case, **args):
    response = client.get(f"/cases/{case.id}", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def without_tokens(html):
    """The page above its access footer (which lists each view), with its one-time
    submission tokens and its CSRF token (signed with the second it was made) blanked."""
    html = without_csrf(html.split('id="access-heading"')[0])
    return re.sub(r'value="[0-9a-f]{32}"', 'value="token"', html)


def timeline_reads(statements):
    return [s for s in statements if "FROM timeline_entries" in s or "FROM triggers" in s]


def test_an_unchanged_case_is_drawn_once(client_for, case):
    """Is a second view the same page, without reading the entries or triggers again?"""
    client = client_for("staff")
    first = page(client, case)
    with querycount.counting(db.engine) as statements:
        second = page(client, case)
    assert timeline_reads(statements) == []
    assert without_tokens(first) == without_tokens(second)
    assert "In a disengaged spell since" in second


def test_every_change_shows_on_the_next_view(client_for, case):
    """Do a new entry, a new trigger and a closure each show on the very next view?"""
    client = client_for("staff")
    page(client, case)
    client.post(
        f"/cases/{case.id}/entries",
        data={
            "occurred_on": TODAY.isoformat(),
            "method": "text",
            "initiated_by": "person",
            "outcome": "reached",
            "note": "Asked to meet at the library next week.",
        },
    )
    html = page(client, case)
    assert "Asked to meet at the library next week." in html
    assert "In contact" in html, "the spell ended with the contact"

    client.post(
        f"/cases/{case.id}/triggers",
        data={"kind": "feelings", "description": "Letters with a red heading"},
    )
    assert "Letters with a red heading" in page(client, case)

    client.post(f"/cases/{case.id}/close")
    html = page(client, case)
    assert '<span class="tag">Closed</span>' in html
    assert "Record a contact attempt or appointment" not in html


def test_a_row_written_outside_the_services_still_moves_the_case(app, client_for, case):
    """Does an entry or trigger added straight through the session move the case's version?"""
    client = client_for("staff")
    page(client, case)
    before = db.session.get(Case, case.id).updated_at
    db.session.add(
        TimelineEntry(
            case_id=case.id,
            occurred_on=TODAY,
            method=Method("visit"),
            initiated_by=Initiator("worker"),
            outcome=Outcome("reached"),
            note="Home visit, kettle on.",
        )
    )
    db.session.add(
        Trigger(case_id=case.id, kind=TriggerKind("thoughts"), description="Expects to be judged")
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Case, case.id).updated_at > before
    html = page(client, case)
    assert "Home visit, kettle on." in html
    assert "Expects to be judged" in html


def test_each_page_of_entries_is_drawn_for_itself(client_for, world):
    """Are the table's pages their own drawings, and a page past the end the last one?"""
    client = client_for("staff")
    start = TODAY - timedelta(days=200)
    entries = [(start + timedelta(days=5 * n), "reached") for n in range(30)]
    case = factories.create_case(world.north, world.staff, entries=entries)
    first, second = page(client, case), page(client, case, entries_page=2)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    newest, oldest = entries[-1][0].strftime("%-d %b %Y"), start.strftime("%-d %b %Y")
    assert f"<td>{newest}</td>" in first and f"<td>{oldest}</td>" not in first
    assert f"<td>{oldest}</td>" in second
    assert "Page 2 of 2" in page(client, case, entries_page=99)


def test_the_day_is_part_of_the_drawing(app, case):
    """Does an ongoing spell's length come out right on each day, not the day it was drawn?"""
    with app.test_request_context():
        today = routes.timeline_view(case, 1, TODAY)
        tomorrow = routes.timeline_view(case, 1, TODAY + timedelta(days=1))
    assert "30 days" in today.entries_html and "31 days" in tomorrow.entries_html


def test_other_cases_and_viewers_share_nothing_they_should_not(world, client_for, case):
    """Does each case get its own drawing, and another member see the same one?"""
    other = factories.create_case(
        world.north, world.staff, entries=[(TODAY - timedelta(days=3), "reached")]
    )
    staff, facilitator = client_for(world.staff), client_for(world.facilitator)
    first = page(staff, case)
    assert "In contact" in page(staff, other)
    assert without_tokens(page(facilitator, case)).count("In a disengaged spell since") == 1
    assert "In a disengaged spell since" in first
