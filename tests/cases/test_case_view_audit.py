"""A case view is audited in a short write of its own that does not wait for the disk."""

from datetime import date

import pytest

from learning_hub.audit import AuditEntry
from learning_hub.extensions import db
from tests import factories, querycount
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
def case(world):
    entries = [(date(2026, 11, 2), "no-answer")]
    return factories.create_case(world.north, world.staff, entries=entries)


def test_a_case_view_is_audited_after_the_page_is_built(staff_client, case):
    """Is the view recorded, with its INSERT after every read of the page?"""
    with querycount.counting(db.engine) as statements:
        assert staff_client.get(f"/cases/{case.id}").status_code == 200
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_entries"))
    assert not any(s.lstrip().upper().startswith("SELECT") for s in statements[insert:])
    assert db.session.query(AuditEntry).filter_by(action="case.viewed", object_id=case.id).count()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL's synchronous_commit is checked")
def test_on_postgresql_the_view_audit_commits_without_waiting_for_the_disk(staff_client, case):
    """Does the view's audit transaction turn off synchronous_commit, and only that one?"""
    with querycount.counting(db.engine) as statements:
        assert staff_client.get(f"/cases/{case.id}").status_code == 200
    relaxed = [i for i, s in enumerate(statements) if "synchronous_commit" in s]
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_entries"))
    assert len(relaxed) == 1 and relaxed[0] < insert
    assert all("synchronous_commit" not in s for s in statements[: relaxed[0]] if "SELECT" in s)
