"""Backups taken while the site writes, restored into a fresh database and checked."""

import os
import sqlite3
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from learning_hub.core import backups
from learning_hub.core.audit import AuditEntry
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection, ReflectionResponse
from tests.conftest import TEST_DATABASE_URL, make_app

pytestmark = pytest.mark.real_commits

ON_POSTGRES = bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgresql")


class Writer(threading.Thread):
    """Writes a reflection, a response on it and an audit entry per transaction, non-stop."""

    def __init__(self, uri, author_id):
        super().__init__(daemon=True)
        options = {"connect_args": {"timeout": 15}} if uri.startswith("sqlite") else {}
        self.engine = sa.create_engine(uri, **options)
        self.author_id = author_id
        self.stop = threading.Event()
        self.written = 0
        self.error = None

    def write_one(self, connection):
        now = utcnow()
        reflection_id = connection.execute(
            sa.insert(Reflection.__table__).returning(Reflection.__table__.c.id),
            {
                "author_id": self.author_id,
                "module_slug": "load",
                "module_version": 1,
                "prompt_id": "p",
                "prompt_text": "Prompt",
                "body": f"Reflection {self.written}",
                "body_html": "<p>x</p>",
                "created_at": now,
                "updated_at": now,
                "response_count": 1,
            },
        ).scalar_one()
        connection.execute(
            sa.insert(ReflectionResponse.__table__),
            {
                "reflection_id": reflection_id,
                "author_id": self.author_id,
                "reflection_author_id": self.author_id,
                "body": "A response",
                "body_html": "<p>A response</p>",
                "created_at": now,
            },
        )
        connection.execute(
            sa.insert(AuditEntry.__table__),
            {"action": "load.write", "detail": "", "created_at": now},
        )

    def run(self):
        try:
            while not self.stop.is_set():
                with self.engine.begin() as connection:
                    if self.engine.dialect.name == "sqlite":
                        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    self.write_one(connection)
                self.written += 1
        except Exception as exc:  # reported by the test, which would otherwise hang
            self.error = exc
        finally:
            self.engine.dispose()

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while self.written < count and self.error is None:
            assert time.monotonic() < deadline, "the writer stalled"
            time.sleep(0.01)
        assert self.error is None, self.error


@pytest.fixture
def writer(app, create_user):
    author_id = create_user().id
    db.session.commit()  # reading the id began a (write) transaction on SQLite: end it
    thread = Writer(app.config["SQLALCHEMY_DATABASE_URI"], author_id)
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=30)


def backup_under_load(app, writer, path):
    writer.wait_for(20)
    before = writer.written
    counts = backups.backup(path)
    after = writer.written
    writer.wait_for(after + 20)  # the site kept writing after the copy was taken
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None, writer.error
    # The copy holds every write made before it began, and the writer went on meanwhile.
    assert before <= counts["reflections"] <= after + 1
    return counts


def restore_into(other_app, path):
    """Run `restore PATH --yes` against ``other_app`` and check the result there."""
    with other_app.app_context():  # the test's own app context is open too: be explicit
        result = other_app.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code == 0, result.output
        assert "Integrity check: ok." in result.output
        report = backups.check_integrity()
        db.session.remove()
        db.engine.dispose()
    return report


def live_counts():
    db.session.remove()
    return backups.check_integrity().counts


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite backup API")
def test_sqlite_backup_under_load_restores_to_the_same_snapshot(app, writer, tmp_path):
    """Does a backup taken during writes restore into a fresh file with its snapshot's counts?"""
    path = tmp_path / "backup.sqlite3"
    counts = backup_under_load(app, writer, path)
    assert counts["reflections"] == counts["reflection_responses"] == counts["audit_entries"]
    assert live_counts()["reflections"] > counts["reflections"]

    fresh = make_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    report = restore_into(fresh, path)
    assert report.ok, report.problems
    assert report.counts == counts


@pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL on PostgreSQL")
def test_postgres_backup_under_load_restores_to_the_same_snapshot(app, writer, tmp_path):
    """Does pg_dump under writes restore into a scratch database with its snapshot's counts?"""
    path = tmp_path / "backup.dump"
    counts = backup_under_load(app, writer, path)
    assert counts["reflections"] == counts["reflection_responses"] == counts["audit_entries"]
    assert live_counts()["reflections"] > counts["reflections"]

    scratch_name = (
        f"{sa.engine.make_url(TEST_DATABASE_URL).database}_restore_{uuid.uuid4().hex[:8]}"
    )
    admin_engine = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{scratch_name}"')
    try:
        url = sa.engine.make_url(TEST_DATABASE_URL).set(database=scratch_name)
        fresh = make_app(url.render_as_string(hide_password=False))
        report = restore_into(fresh, path)
        assert report.ok, report.problems
        assert report.counts == counts
    finally:
        with admin_engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch_name}" WITH (FORCE)')
        admin_engine.dispose()


def test_backup_refuses_to_overwrite_a_file(runner, tmp_path):
    """Is an existing file at PATH left alone, with a clear message?"""
    path = tmp_path / "taken"
    path.write_text("keep me")
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert path.read_text() == "keep me"


def test_restore_asks_first_and_leaves_the_database_alone_when_refused(
    runner, create_user, tmp_path
):
    """Without --yes, does answering no keep the current data?"""
    create_user(email="before@example.org")
    path = tmp_path / ("backup.dump" if ON_POSTGRES else "backup.sqlite3")
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    create_user(email="after@example.org")
    result = runner.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code != 0
    assert "Carry on?" in result.output
    assert live_counts()["users"] == 2


def test_restore_brings_the_backup_back(runner, create_user, tmp_path):
    """After confirming, is the database as it was at the backup, with counts printed?"""
    create_user(email="before@example.org")
    path = tmp_path / ("backup.dump" if ON_POSTGRES else "backup.sqlite3")
    backed_up = runner.invoke(args=["backup", str(path)])
    assert backed_up.exit_code == 0, backed_up.output
    assert "users" in backed_up.output
    create_user(email="after@example.org")
    result = runner.invoke(args=["restore", str(path)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Integrity check: ok." in result.output
    assert live_counts()["users"] == 1


@pytest.mark.skipif(ON_POSTGRES, reason="a SQLite file")
def test_restore_refuses_a_file_that_is_not_a_database(runner, create_user, tmp_path):
    """Is a damaged backup refused before the live database is touched?"""
    create_user()
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(os.urandom(4096))
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert "is not a usable SQLite backup" in result.output
    assert live_counts()["users"] == 1


@pytest.mark.skipif(ON_POSTGRES, reason="a SQLite file")
def test_integrity_check_reports_a_dangling_reference(app, create_user):
    """Does the check name a row whose foreign key points at nothing?"""
    user_id = create_user().id
    db.session.remove()
    with sqlite3.connect(db.engine.url.database) as connection:  # foreign keys off by default
        connection.execute(
            "INSERT INTO reflections (author_id, module_slug, module_version, prompt_id,"
            " prompt_text, body, body_html, created_at, updated_at, response_count)"
            " VALUES (?, 'm', 1, 'p', 'P', 'b', 'b', '2026-01-01', '2026-01-01', 0)",
            (user_id + 1000,),
        )
    connection.close()
    report = backups.check_integrity()
    assert not report.ok
    assert any("reflections" in problem for problem in report.problems)


def test_pg_tools_are_found():
    """Are pg_dump and pg_restore found on PATH or under /usr/lib/postgresql?"""
    for name in ("pg_dump", "pg_restore"):
        assert os.access(backups.find_pg_tool(name), os.X_OK)


def test_libpq_arguments_keep_the_password_off_the_command_line():
    """Does the password travel in PGPASSWORD, not in the arguments?"""
    arguments, env = backups.libpq_arguments("postgresql+psycopg://hub:s3cret@db.internal:5433/hub")
    assert arguments == [
        "--dbname",
        "hub",
        "--host",
        "db.internal",
        "--port",
        "5433",
        "--username",
        "hub",
    ]
    assert "s3cret" not in " ".join(arguments)
    assert env["PGPASSWORD"] == "s3cret"
