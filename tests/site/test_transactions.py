"""One transaction per request, ended in one place (``database.end_transaction``)."""

import pytest
import sqlalchemy as sa
from flask import abort
from sqlalchemy import event

from learning_hub.core.extensions import db
from learning_hub.modules.models import LearningGoal
from tests import querycount
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.real_commits

on_sqlite = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's BEGIN is checked")


class Endings:
    """Counts the COMMITs and ROLLBACKs the engine sends while it is listening."""

    def __init__(self, engine):
        self.engine, self.commits, self.rollbacks = engine, 0, 0

    def _commit(self, _connection):
        self.commits += 1

    def _rollback(self, _connection):
        self.rollbacks += 1

    def __enter__(self):
        event.listen(self.engine, "commit", self._commit)
        event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)


def _goals(description):
    return db.session.query(LearningGoal).filter_by(description=description).count()


def test_a_get_that_writes_just_works(app, client_for, world):
    """Is a GET that adds a row (and never commits) answered, and its row kept?"""
    client = client_for("staff")
    owner_id = world.staff.id

    def first_use():
        db.session.add(
            LearningGoal(owner_id=owner_id, description="Made on first use", description_html="")
        )
        db.session.flush()
        return "made"

    app.add_url_rule("/_test/first-use", "test_first_use", first_use)
    assert client.get("/_test/first-use").status_code == 200
    assert _goals("Made on first use") == 1


def test_a_get_that_writes_through_core_and_commits_works(app, client_for, world):
    """Does a GET's text() write, committed by the view itself, answer and stay written?"""
    client = client_for("staff")
    user_id = world.staff.id

    def rename():
        db.session.execute(
            sa.text("UPDATE users SET display_name = 'Renamed' WHERE id = :id"), {"id": user_id}
        )
        db.session.commit()
        return "renamed"

    app.add_url_rule("/_test/rename", "test_rename", rename)
    assert client.get("/_test/rename").status_code == 200
    name = sa.text("SELECT display_name FROM users WHERE id = :id")
    assert db.session.scalar(name, {"id": user_id}) == "Renamed"


def test_a_get_that_fails_keeps_nothing_it_wrote(app, client_for, world):
    """Is a GET's write thrown away when the page answers with an error?"""
    client = client_for("staff")
    owner_id = world.staff.id

    def half_done():
        db.session.add(
            LearningGoal(owner_id=owner_id, description="Left unsaved", description_html="")
        )
        db.session.flush()
        abort(404)

    app.add_url_rule("/_test/half-done", "test_half_done", half_done)
    assert client.get("/_test/half-done").status_code == 404
    assert _goals("Left unsaved") == 0


def test_a_post_is_left_to_its_own_commit(app, client_for, world):
    """Is a POST's write that its view never committed thrown away, not committed for it?"""
    client = client_for("staff")
    owner_id = world.staff.id

    def not_sent():
        db.session.add(LearningGoal(owner_id=owner_id, description="Not sent", description_html=""))
        db.session.flush()
        return "shown again"

    app.add_url_rule("/_test/not-sent", "test_not_sent", not_sent, methods=["POST"])
    assert client.post("/_test/not-sent").status_code == 200
    assert _goals("Not sent") == 0


@pytest.mark.parametrize("url", ["/", "/modules", "/learning", "/selfcheck"])
def test_a_page_that_only_reads_ends_with_commit(client_for, url):
    """Does a read-only page end its transaction with COMMIT rather than ROLLBACK?"""
    client = client_for("staff")
    client.get(url)
    with Endings(db.engine) as endings:
        assert client.get(url).status_code == 200
    assert endings.commits >= 1
    assert endings.rollbacks == 0


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="psycopg's prepared statements are checked")
def test_postgresql_keeps_its_prepared_statements_between_requests(app, client_for):
    """After a page has been seen a few times, are its statements prepared on the server?"""
    client = client_for("staff")
    db.session.remove()
    db.engine.dispose()
    for _ in range(8):
        assert client.get("/").status_code == 200
    db.session.remove()
    pool = db.engine.pool
    held = [db.engine.raw_connection() for _ in range(pool.checkedin())]
    try:
        counts = []
        for raw in held:
            cursor = raw.cursor()
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            counts.append(cursor.fetchone()[0])
            raw.rollback()
    finally:
        for raw in held:
            raw.close()
    assert max(counts) >= 5


def _begins(statements):
    return [s.strip().upper() for s in statements if s.strip().upper().startswith("BEGIN")]


@on_sqlite
def test_a_post_takes_the_write_lock_when_it_begins(client_for, app):
    """Does a form post's transaction begin IMMEDIATE, before its first read?"""
    client = client_for("staff")
    module = app.extensions["content"].library.get("noticing-your-own-reactions")
    prompt = module.prompts[0]
    with querycount.counting(db.engine) as statements:
        response = client.post(
            f"/modules/{module.slug}/prompts/{prompt.id}",
            data={f"{prompt.id}-body": "Noticed my hurry.", f"{prompt.id}-share_team_id": "0"},
        )
    assert response.status_code == 302
    assert statements[0].strip().upper() == "BEGIN IMMEDIATE"
    assert set(_begins(statements)) == {"BEGIN IMMEDIATE"}


@on_sqlite
def test_a_get_never_takes_the_lock(client_for):
    """Does a page that only reads begin a plain (deferred) transaction, never IMMEDIATE?"""
    client = client_for("staff")
    with querycount.counting(db.engine) as statements:
        assert client.get("/modules").status_code == 200
    assert _begins(statements) == ["BEGIN"] and statements[0].strip().upper() == "BEGIN"


@on_sqlite
def test_a_case_view_takes_the_lock_only_for_its_audit_entry(client_for, world):
    """Is the case page read in a plain transaction, and only its audit write IMMEDIATE?"""
    client = client_for("staff")
    from tests import factories

    case_id = factories.create_case(world.north, world.staff).id
    with querycount.counting(db.engine) as statements:
        assert client.get(f"/cases/{case_id}").status_code == 200
    assert _begins(statements) == ["BEGIN", "BEGIN IMMEDIATE"]
    locked = statements.index(next(s for s in statements if "IMMEDIATE" in s))
    assert [s.split()[0].upper() for s in statements[locked + 1 :]] == ["INSERT"]
