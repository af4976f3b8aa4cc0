"""Agenda positions under concurrency: many proposals and moves at once keep them 1..N.

PostgreSQL only: SQLite's writers already queue behind BEGIN IMMEDIATE, so only
PostgreSQL, where writers run side by side, can show two proposals taking one place.
"""

import threading

import pytest
from flask.testing import FlaskClient

from learning_hub.core.extensions import db
from learning_hub.reviews.models import AgendaItem
from tests import factories
from tests.conftest import TEST_DATABASE_URL, log_in

pytestmark = [
    pytest.mark.real_commits,
    pytest.mark.skipif(
        not (TEST_DATABASE_URL or "").startswith("postgresql"),
        reason="needs TEST_DATABASE_URL on PostgreSQL: SQLite serialises writers",
    ),
]
PEOPLE = 12  # the pool's 5 + 10 connections; more would only wait for one


def at_once(clients, send):
    """Run ``send(client, n)`` for every client from a common start; their statuses."""
    start, statuses, lock = threading.Barrier(len(clients)), [], threading.Lock()

    def run(client, n):
        start.wait()
        status = send(client, n)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def positions(session_id):
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            db.select(AgendaItem.position).where(AgendaItem.session_id == session_id)
        )
    )


def test_simultaneous_proposals_get_positions_one_to_n(app, world):
    """Do a dozen proposals sent at the same moment get places 1..12, none shared?"""
    app.test_client_class = FlaskClient  # each request in its own app context, in its thread
    session = factories.create_review(world.north, world.facilitator, rule="").sessions[0]
    session_id = session.id
    clients = [log_in(app.test_client(), world.staff) for _ in range(PEOPLE)]
    db.session.commit()

    def propose(client, n):
        data = {"kind": "system-question", "title": f"Question {n}", "timebox": "10"}
        return client.post(f"/sessions/{session_id}/agenda", data=data).status_code

    for _round in range(3):
        statuses = at_once(clients, propose)
        assert statuses == [302] * PEOPLE
    assert positions(session_id) == list(range(1, 3 * PEOPLE + 1))


def test_simultaneous_moves_keep_positions_one_to_n(app, world):
    """Do facilitators moving items at the same moment leave places 1..N, none shared?"""
    app.test_client_class = FlaskClient
    session = factories.create_review(world.north, world.facilitator, rule="").sessions[0]
    session_id = session.id
    items = [
        factories.create_agenda_item(session, world.staff, title=f"Item {n}").id
        for n in range(PEOPLE)
    ]
    clients = [log_in(app.test_client(), world.facilitator) for _ in range(PEOPLE)]
    db.session.commit()

    def move(client, n):
        direction = "up" if n % 2 else "down"
        url = f"/sessions/{session_id}/agenda/{items[n]}/move"
        return client.post(url, data={"direction": direction}).status_code

    for _round in range(3):
        assert at_once(clients, move) == [302] * PEOPLE
        assert positions(session_id) == list(range(1, PEOPLE + 1))
