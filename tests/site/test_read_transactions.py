"""A page that only reads ends its transaction with COMMIT, so PostgreSQL keeps its plans."""

import pytest
from sqlalchemy import event

from learning_hub.database import end_read_transaction
from learning_hub.extensions import db
from learning_hub.modules.models import LearningGoal
from tests.conftest import TEST_DATABASE_URL


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


@pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="on SQLite a page that only reads opens no transaction at all"
)
@pytest.mark.parametrize("url", ["/", "/modules", "/learning", "/selfcheck"])
def test_a_page_that_only_reads_ends_with_commit(staff_client, url):
    """Does a read-only page end its transaction with COMMIT rather than ROLLBACK?"""
    staff_client.get(url)
    with Endings(db.engine) as endings:
        assert staff_client.get(url).status_code == 200
    assert endings.commits >= 1
    assert endings.rollbacks == 0


def test_a_read_that_wrote_is_still_rolled_back(app, world):
    """Is a GET's unfinished write still thrown away at the end of the request?"""
    with app.test_request_context("/learning"):
        goal = LearningGoal(
            owner_id=world.staff.id, description="Left unsaved", description_html=""
        )
        db.session.add(goal)
        db.session.flush()
        end_read_transaction(app.response_class())
        db.session.rollback()
    db.session.remove()
    assert db.session.query(LearningGoal).filter_by(description="Left unsaved").count() == 0


def test_a_form_post_is_left_to_its_own_commit(app, world):
    """Does a POST's open transaction never get committed on its behalf?"""
    with app.test_request_context("/learning/goals/new", method="POST"):
        goal = LearningGoal(owner_id=world.staff.id, description="Not sent", description_html="")
        db.session.add(goal)
        end_read_transaction(app.response_class())
        db.session.rollback()
    db.session.remove()
    assert db.session.query(LearningGoal).filter_by(description="Not sent").count() == 0


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="psycopg's prepared statements are checked")
def test_postgresql_keeps_its_prepared_statements_between_requests(app, staff_client):
    """After a page has been seen a few times, are its statements prepared on the server?"""
    db.session.remove()
    db.engine.dispose()
    for _ in range(8):
        assert staff_client.get("/").status_code == 200
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


# --- PostgreSQL: a page that only reads runs without a transaction block ---------------

on_postgresql = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="autocommit reads are PostgreSQL's"
)


class Modes:
    """Whether each statement the engine sends runs in autocommit, while listening."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _record(self, connection, _cursor, statement, *_args):
        autocommit = connection.connection.dbapi_connection.autocommit
        self.statements.append((statement.split()[0].upper(), autocommit))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def of(self, verb):
        return {autocommit for first, autocommit in self.statements if first == verb}


def fresh_session():
    """End the test's own transaction, as a request in production starts with none."""
    db.session.commit()


@on_postgresql
@pytest.mark.parametrize("url", ["/", "/learning", "/modules", "/selfcheck"])
def test_a_page_that_only_reads_sends_no_begin_or_commit(staff_client, url):
    """Does every statement of a read-only page run in autocommit, with nothing to commit?"""
    staff_client.get(url)
    fresh_session()
    with Modes(db.engine) as modes, Endings(db.engine) as endings:
        assert staff_client.get(url).status_code == 200
    assert modes.statements and modes.of("SELECT") == {True}
    assert endings.rollbacks == 0
    raw = db.engine.raw_connection()
    try:
        assert raw.dbapi_connection.autocommit is False  # back in the pool as it came
    finally:
        raw.close()


@on_postgresql
def test_a_case_view_reads_in_autocommit_and_writes_its_audit_entry_in_a_transaction(
    staff_client, world, recwarn
):
    """Is the case page read without a transaction, and its view entry written in one?"""
    from learning_hub.audit import AuditEntry
    from tests import factories

    case_id = factories.create_case(world.north, world.staff).id
    fresh_session()
    with Modes(db.engine) as modes:
        assert staff_client.get(f"/cases/{case_id}").status_code == 200
    assert modes.of("SELECT") == {True}
    assert modes.of("INSERT") == {False} and modes.of("SET") == {False}
    assert not [w for w in recwarn if "SET LOCAL" in str(w.message)]
    viewed = db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "case.viewed", AuditEntry.object_id == case_id
    )
    assert db.session.scalar(viewed) == 1


@on_postgresql
def test_writing_requests_keep_their_transaction(app, staff_client, world):
    """Do a form POST and a view marked writes_on_get run in a transaction, as before?"""
    from learning_hub.database import writes_on_get

    app.add_url_rule(
        "/_test/mode",
        "test_mode",
        writes_on_get(lambda: str(db.session.connection().connection.dbapi_connection.autocommit)),
    )
    fresh_session()
    assert staff_client.get("/_test/mode").get_data(as_text=True) == "False"
    fresh_session()
    with Modes(db.engine) as modes:
        response = staff_client.post(
            "/learning/goals/new",
            data={"description": "Ask for feedback after every home visit", "principles": []},
        )
    assert response.status_code in (302, 400)
    assert modes.of("SELECT") == {False}


@on_postgresql
def test_a_get_that_writes_without_saying_so_is_refused(app, staff_client, world, caplog):
    """Is an undeclared write in a read-only request refused, and nothing of it kept?"""

    def sneaky():
        db.session.add(LearningGoal(owner_id=world.staff.id, description="Sneaked in"))
        db.session.flush()
        return "written"

    app.add_url_rule("/_test/sneaky", "test_sneaky", sneaky)
    fresh_session()
    assert staff_client.get("/_test/sneaky").status_code == 500
    assert any(
        getattr(r, "fields", {}).get("error") == "ReadOnlyRequestWrote" for r in caplog.records
    )
    db.session.rollback()
    assert db.session.query(LearningGoal).filter_by(description="Sneaked in").count() == 0
