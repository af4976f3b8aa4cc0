"""Engine tuning: SQLite pragmas, immediate write transactions, UTC helpers."""

import contextlib
from datetime import UTC, datetime

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow():
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def sqlite_engine_options(uri):
    """Engine options for a SQLite URI: a busy timeout and no shared pool surprises."""
    options = {"connect_args": {"timeout": 15, "check_same_thread": False}}
    if uri in ("sqlite://", "sqlite:///:memory:"):
        from sqlalchemy.pool import StaticPool

        options["poolclass"] = StaticPool
    return options


def configure_sqlite(engine: Engine):
    """WAL journal, foreign keys, and writes that take the lock when they begin.

    pysqlite's own transaction handling is switched off so that we issue BEGIN
    ourselves: requests that can write (POST and friends, CLI commands) start with
    BEGIN IMMEDIATE and wait on the busy timeout for the write lock, instead of
    failing with "database is locked" when a read transaction tries to upgrade.
    Reads use a plain deferred BEGIN so they never queue behind writers.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def writes_on_get(view):
    """Mark a view whose GET writes too (an audit entry, a record made on first use).

    On SQLite its transaction then takes the write lock at BEGIN and waits its
    turn, instead of failing with "database is locked" when a concurrent writer
    got there first and the read transaction cannot be upgraded.
    """
    view.writes_on_get = True
    return view


def start_writing(session):
    """End this request's read transaction; its next one takes SQLite's write lock at BEGIN.

    For a GET that reads a lot and writes one row at the end (a case view's audit
    entry): the page is built in a plain read transaction, so viewers do not queue
    behind one another while pages render, and only the short write that follows
    waits for the lock. Nothing is expired, so the rendered objects stay usable.
    """
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep
    g.writes_now = True


@contextlib.contextmanager
def reading_identity():
    """Within this block, a writing request's transaction begins as a plain read.

    The user loader runs first on every request; on a POST it reads the person in
    a read transaction and ends it (``start_writing``), so the write lock that the
    view's own transaction takes is not also held while the person is loaded.
    """
    g.reading_identity = True
    try:
        yield
    finally:
        g.reading_identity = False


def _may_write():
    if has_request_context():
        if g.get("reading_identity"):
            return False
        if request.method not in READ_ONLY_METHODS or g.get("writes_now"):
            return True
        view = current_app.view_functions.get(request.endpoint)
        return getattr(view, "writes_on_get", False)
    return True


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always handed back timezone-aware.

    PostgreSQL keeps it as ``timestamptz``; SQLite stores the naive UTC value,
    which this type re-labels as UTC on the way out so comparisons never mix
    naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def register_connection_errors(app):
    """Answer every lost database connection with the plain 503 page, never a 500.

    ``OperationalError`` (refused, reset, closed mid-query or mid-commit) has its
    own handler in ``site``; this one catches the other DBAPI errors a dropped
    connection can surface as: ``InterfaceError`` and any error SQLAlchemy flagged
    as a disconnect (``connection_invalidated``). Other database errors stay 500s.
    """
    from sqlalchemy.exc import DBAPIError, InterfaceError

    from learning_hub import site

    def _lost_connection(error):
        if isinstance(error, InterfaceError) or error.connection_invalidated:
            return site.handle_database_down(error)
        return site.handle_unexpected(error)

    app.register_error_handler(DBAPIError, _lost_connection)
