"""Backups taken while the site is writing, restores, and the check that follows a restore.

SQLite: the online backup API copies the database page by page from inside one read
transaction, so the copy is the database as it was at one instant, whatever writers
do meanwhile (WAL mode lets them carry on). PostgreSQL: ``pg_dump --format=custom``
reads one snapshot; we export that snapshot first so the row counts we report are
taken from exactly the same instant as the dump.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from learning_hub.core.extensions import db


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


@dataclass
class IntegrityReport:
    revision: str | None
    head: str
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def table_names():
    """Every table the models know, parents before children."""
    return [table.name for table in db.metadata.sorted_tables]


def count_rows(cursor_execute):
    """{table: rows}, through ``cursor_execute(sql) -> first column of the first row``."""
    return {name: cursor_execute(f'SELECT count(*) FROM "{name}"') for name in table_names()}


def _dialect(engine=None):
    return (engine or db.engine).dialect.name


def backup(path):
    """Write a consistent copy of the configured database to ``path``.

    Returns {table: rows} counted in the same snapshot the copy was taken from.
    """
    path = os.fspath(path)
    if _dialect() == "sqlite":
        return _backup_sqlite(path)
    if _dialect() == "postgresql":
        return _backup_postgres(path)
    raise BackupError(f"Backups are not supported for {_dialect()} databases")


def restore(path):
    """Replace the configured database's contents with the backup at ``path``."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise BackupError(f"No backup file at {path}")
    if _dialect() == "sqlite":
        _restore_sqlite(path)
    elif _dialect() == "postgresql":
        _restore_postgres(path)
    else:
        raise BackupError(f"Restores are not supported for {_dialect()} databases")


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_file():
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored")
    return database


def _backup_sqlite(path):
    _sqlite_file()
    if os.path.exists(path):
        raise BackupError(f"{path} already exists; choose a new file name")
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        cursor = source.cursor()
        # pysqlite leaves transactions to us (database.py): one read transaction
        # holds the snapshot for the counts and the copy alike.
        cursor.execute("BEGIN")
        try:
            counts = count_rows(lambda sql: cursor.execute(sql).fetchone()[0])
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            cursor.execute("COMMIT")
            cursor.close()
    finally:
        raw.close()
    return counts


def _restore_sqlite(path):
    live = _sqlite_file()
    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            problem = source.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a usable SQLite backup: {exc}") from None
        if problem != "ok":
            raise BackupError(f"The backup file is damaged: {problem}")
        db.session.remove()
        db.engine.dispose()
        target = sqlite3.connect(live, timeout=15)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    db.engine.dispose()


def _sqlite_problems(connection):
    problems = []
    result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    if result != "ok":
        problems.append(f"integrity_check: {result}")
    for table, rowid, parent, _fk in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} refers to a missing {parent} row")
    return problems


# --- PostgreSQL ---------------------------------------------------------------------------


def find_pg_tool(name):
    """The path of ``pg_dump`` or ``pg_restore``: on PATH, else the newest server install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")

    def version(candidate):
        part = candidate.split("/")[4]
        return int(part) if part.isdigit() else 0

    if candidates:
        return max(candidates, key=version)
    raise BackupError(f"{name} was not found on PATH or under /usr/lib/postgresql/*/bin")


def libpq_arguments(url):
    """(connection arguments, environment) for a PostgreSQL URL, the password kept off argv."""
    url = sa.engine.make_url(url)
    arguments = ["--dbname", url.database or "postgres"]
    if url.host:
        arguments += ["--host", url.host]
    if url.port:
        arguments += ["--port", str(url.port)]
    if url.username:
        arguments += ["--username", url.username]
    env = {**os.environ}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return arguments, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{os.path.basename(command[0])} failed: {result.stderr.strip()}")
    return result


def _backup_postgres(path):
    if os.path.exists(path):
        raise BackupError(f"{path} already exists; choose a new file name")
    arguments, env = libpq_arguments(db.engine.url)
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            counts = count_rows(lambda sql: connection.exec_driver_sql(sql).scalar())
            # pg_dump joins the exported snapshot while this transaction stays open.
            _run(
                [
                    find_pg_tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    "--file",
                    path,
                    *arguments,
                ],
                env,
            )
    return counts


def _restore_postgres(path):
    arguments, env = libpq_arguments(db.engine.url)
    db.session.remove()
    db.engine.dispose()
    _run(
        [
            find_pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            *arguments,
            path,
        ],
        env,
    )
    db.engine.dispose()


# --- After a restore ----------------------------------------------------------------------


def head_revision():
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def check_integrity():
    """Check the configured database: structure, references, migration revision, row counts."""
    problems = []
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            problems += _sqlite_problems(connection)
        revision = MigrationContext.configure(connection).get_current_revision()
        counts = count_rows(lambda sql: connection.exec_driver_sql(sql).scalar())
        if connection.dialect.name == "postgresql":
            problems += _postgres_orphans(connection)
    head = head_revision()
    if revision != head:
        problems.append(f"migration revision is {revision}, expected {head}")
    return IntegrityReport(revision=revision, head=head, counts=counts, problems=problems)


def _postgres_orphans(connection):
    """Rows whose foreign key points at nothing (constraints would stop this; a dump need not)."""
    problems = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            (column,) = fk.columns
            (element,) = fk.elements
            parent = element.column
            stmt = (
                sa.select(sa.func.count())
                .select_from(table)
                .where(
                    column.is_not(None),
                    ~sa.exists().where(parent == column),
                )
            )
            missing = connection.execute(stmt).scalar()
            if missing:
                problems.append(
                    f"{missing} {table.name} rows refer to a missing {parent.table.name}"
                )
    return problems
