"""Calendar feeds are cached on the rows they show, and built afresh when those change."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from learning_hub.core.extensions import db
from learning_hub.reviews import services
from tests import factories


@pytest.fixture
def builds(monkeypatch):
    """How many iCalendar documents were built."""
    made = []
    real = services.Calendar

    def counting():
        made.append(1)
        return real()

    monkeypatch.setattr(services, "Calendar", counting)
    return made


@pytest.fixture
def team_feed(client, world):
    series = factories.create_review(world.north, world.facilitator)
    token = services.feed_for(world.facilitator, world.north).token
    db.session.commit()

    def fetch():
        response = client.get(f"/calendar/team/{token}.ics")
        assert response.status_code == 200
        return Calendar.from_ical(response.data).walk("VEVENT")

    return series, fetch


def test_the_same_rows_reuse_the_document(team_feed, builds):
    """Is a second poll of an unchanged feed answered without building it again?"""
    series, fetch = team_feed
    first = fetch()
    second = fetch()
    assert len(builds) == 1
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert len(first) == len(series.sessions)


def test_a_moved_session_is_in_the_next_poll(team_feed, builds, client_for):
    """After a session moves, does the feed show its new time and a higher SEQUENCE?"""
    client_for("facilitator")
    series, fetch = team_feed
    fetch()
    session = series.sessions[0]
    later = session.starts_at + timedelta(hours=2)
    session.move(later, session.duration_minutes)
    db.session.commit()
    event = fetch()[0]
    assert event.decoded("DTSTART") == later
    assert int(event["SEQUENCE"]) == 1
    assert len(builds) == 2


def test_a_cancelled_session_is_in_the_next_poll(team_feed, client_for):
    """After a cancellation, is that occurrence marked CANCELLED at once?"""
    client = client_for("facilitator")
    series, fetch = team_feed
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in fetch())
    client.post(f"/sessions/{series.sessions[1].id}/cancel")
    assert [str(e["STATUS"]) for e in fetch()][1] == "CANCELLED"


def test_a_renamed_series_and_a_new_session_are_in_the_next_poll(team_feed, world):
    """Do a new title and a newly scheduled session both reach the feed at once?"""
    series, fetch = team_feed
    count = len(fetch())
    series.title = "Practice circle"
    series.location = "Room 5"
    db.session.commit()
    events = fetch()
    assert {str(e["SUMMARY"]) for e in events} == {"Practice circle"}
    assert {str(e["LOCATION"]) for e in events} == {"Room 5"}
    factories.create_review(world.north, world.facilitator, rule="", title="One-off")
    assert len(fetch()) == count + 1


def test_teams_do_not_share_documents(client, world, builds):
    """Does another team's feed get its own document, never the first team's?"""
    factories.create_review(world.north, world.facilitator, title="North meets")
    factories.create_review(world.south, world.outsider, title="South meets")
    north = services.feed_for(world.facilitator, world.north).token
    south = services.feed_for(world.outsider, world.south).token
    db.session.commit()
    assert b"North meets" in client.get(f"/calendar/team/{north}.ics").data
    body = client.get(f"/calendar/team/{south}.ics").data
    assert b"South meets" in body and b"North meets" not in body
    assert len(builds) == 2
