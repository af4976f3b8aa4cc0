"""A case view is audited in a short write of its own that does not wait for the disk."""

from datetime import date

import pytest

from learning_hub.core import audit
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests import factories, querycount
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
def case(world):
    entries = [(date(2026, 11, 2), "no-answer")]
    return factories.create_case(world.north, world.staff, entries=entries)


def test_a_case_view_is_audited_after_the_page_is_built(client_for, case):
    """Is the view recorded, with its INSERT after every read of the page?"""
    client = client_for("staff")
    with querycount.counting(db.engine) as statements:
        assert client.get(f"/cases/{case.id}").status_code == 200
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_entries"))
    assert not any(s.lstrip().upper().startswith("SELECT") for s in statements[insert:])
    assert db.session.query(AuditEntry).filter_by(action="case.viewed", object_id=case.id).count()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL's synchronous_commit is checked")
def test_on_postgresql_the_view_audit_commits_without_waiting_for_the_disk(client_for, case):
    """Does the view's audit transaction turn off synchronous_commit, and only that one?"""
    client = client_for("staff")
    with querycount.counting(db.engine) as statements:
        assert client.get(f"/cases/{case.id}").status_code == 200
    relaxed = [i for i, s in enumerate(statements) if "synchronous_commit" in s]
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_entries"))
    assert len(relaxed) == 1 and relaxed[0] < insert
    assert all("synchronous_commit" not in s for s in statements[: relaxed[0]] if "SELECT" in s)


def test_the_view_entry_and_its_log_line_agree(client_for, world, case, caplog):
    """Does the entry hold who, what and from where, and its log line name that entry?"""
    client = client_for("staff")
    caplog.set_level("INFO", logger="learning_hub.security")
    caplog.clear()
    assert client.get(f"/cases/{case.id}").status_code == 200
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "case.viewed")
    ).one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        world.staff.id,
        "cases",
        case.id,
    )
    assert entry.ip_address == "127.0.0.1" and entry.detail == "" and entry.created_at
    lines = [
        r.fields for r in caplog.records if getattr(r, "fields", {}).get("event") == "case.viewed"
    ]
    assert len(lines) == 1
    assert lines[0]["audit_id"] == entry.id
    assert lines[0]["user_id"] == world.staff.id and lines[0]["route"] == "/cases/<int:case_id>"


def test_a_view_entry_rolled_back_is_neither_kept_nor_logged(app, world, case, caplog):
    """Is an entry whose transaction rolls back gone, with no log line claiming it?"""
    from flask_login import login_user

    caplog.set_level("INFO", logger="learning_hub.security")
    with app.test_request_context(f"/cases/{case.id}"):
        login_user(world.staff)
        audit.record("case.viewed", case)
        db.session.rollback()
        audit.record("case.exported", case)
        db.session.commit()  # a later commit logs its own entry, not the rolled-back one
    events = [getattr(r, "fields", {}).get("event") for r in caplog.records]
    assert "case.viewed" not in events and "case.exported" in events
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "case.viewed")
        )
        == 0
    )
