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
