"""The request's transaction, engine tuning (SQLite pragmas, PostgreSQL timeouts), UTC helpers.

One transaction per request: it begins with the request's first statement and ends in
``end_transaction``. On SQLite a request that may write begins it with BEGIN IMMEDIATE
(``configure_sqlite``); a GET that writes after reading uses ``writing()``.
"""

import contextlib
import time
from datetime import UTC, datetime

import psycopg
from flask import g, has_request_context, request
from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from learning_hub.core.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow():
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def read(statement, params=None):
    """The result of ``statement``, a select of plain columns, run on the session's connection.

    For selects of plain values (rows for long lists), without the ORM's result
    setup that ``Session.execute`` gives every statement built from mapped
    attributes. Pending changes are flushed first, as the session's autoflush
    would, so what it reads is current. Statements that load objects stay on
    ``Session.execute``.
    """
    session = db.session()
    session.flush()
    return session.connection().execute(statement, params or {})


def on_postgresql(session=None):
    """Whether ``session`` (by default the request's) talks to PostgreSQL."""
    return (session or db.session).get_bind().dialect.name == "postgresql"


def sqlite_engine_options(uri):
    """Engine options for a SQLite URI: a busy timeout and no shared pool surprises.

    No pre-ping: a SQLite file has no server to lose the connection, so testing
    each connection on checkout would only add a statement to every request.
    """
    options = {
        "connect_args": {"timeout": 15, "check_same_thread": False},
        "pool_pre_ping": False,
    }
    if uri in ("sqlite://", "sqlite:///:memory:"):
        options["poolclass"] = StaticPool
    return options


# A connection back in the pool for less than this was answering a moment ago.
RECENTLY_USED_SECONDS = 0.05


# A statement the server should have stopped by its statement timeout gets this much
# longer to answer before the server is taken to have stopped answering altogether.
ANSWER_GRACE_SECONDS = 2
# TCP keepalives on idle pooled connections: a peer gone from the network is found out
# after about IDLE + INTERVAL * COUNT seconds instead of the kernel's two hours.
KEEPALIVE_IDLE_SECONDS = 30
KEEPALIVE_INTERVAL_SECONDS = 5
KEEPALIVE_COUNT = 3


def postgresql_engine_options(connect_timeout_seconds, statement_timeout_ms):
    """Engine options for PostgreSQL: timeouts, and no pre-ping (see ping_idle_connections).

    ``connect_timeout`` bounds a new connection, the server's ``statement_timeout``
    a statement on a server that is working, and the TCP settings (keepalives,
    ``tcp_user_timeout``) a connection whose packets stop being acknowledged (a network
    drop). None of these sees a server that is frozen (SIGSTOP, a hung host) while its
    kernel still acknowledges packets: ``AnswerBoundedConnection`` does.
    """
    return {
        "pool_pre_ping": False,
        "connect_args": {
            "connect_timeout": connect_timeout_seconds,
            "options": f"-c statement_timeout={int(statement_timeout_ms)}",
            "keepalives": 1,
            "keepalives_idle": KEEPALIVE_IDLE_SECONDS,
            "keepalives_interval": KEEPALIVE_INTERVAL_SECONDS,
            "keepalives_count": KEEPALIVE_COUNT,
            "tcp_user_timeout": int(connect_timeout_seconds * 1000),
        },
    }


class AnswerBoundedConnection(psycopg.Connection):
    """A psycopg connection that stops waiting for a server that has stopped answering.

    libpq has no client-side limit on waiting for a reply, so a frozen server holds
    the request (and the gunicorn worker) until gunicorn kills it. Every exchange on
    the connection (statements, fetches, COMMIT, the pool's ping) goes through
    ``wait``; past ``answer_timeout`` seconds the connection is closed, never to be
    reused, and the wait fails as a lost connection (SQLAlchemy invalidates it, the
    request answers 503). psycopg's ``wait`` and its ``_WaitTimeout`` are not public
    API: tests/reliability/test_database_timeouts.py fails if they change.
    """

    answer_timeout = None  # seconds; None waits as long as the server takes

    def wait(self, gen, *args, timeout=None, **kwargs):
        if timeout is not None or self.answer_timeout is None:
            return super().wait(gen, *args, timeout=timeout, **kwargs)
        try:
            return super().wait(gen, *args, timeout=self.answer_timeout, **kwargs)
        except psycopg.errors._WaitTimeout:
            self.close()  # cut mid-exchange: what it would read next is unknowable
            raise psycopg.OperationalError(
                f"the database server did not answer within {self.answer_timeout:g} s"
            ) from None


def bound_answer_waits(engine: Engine, statement_timeout_ms):
    """Open the engine's connections as AnswerBoundedConnection, bounded just past the
    statement timeout (a statement the server is running answers by then, if only to
    say it was cancelled)."""
    answer_timeout = statement_timeout_ms / 1000 + ANSWER_GRACE_SECONDS

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):
        connection = AnswerBoundedConnection.connect(*cargs, **cparams)
        connection.answer_timeout = answer_timeout
        return connection


@contextlib.contextmanager
def slow_statements_allowed(connection):
    """Within this block ``connection`` (SQLAlchemy's) has no statement timeout and no
    answer bound: for migrations, whose index builds may rightly take minutes."""
    if connection.dialect.name != "postgresql":
        yield
        return
    raw = connection.connection.driver_connection
    bound = getattr(raw, "answer_timeout", None)
    raw.answer_timeout = None
    # Committed at once: Alembic leaves a transaction it did not begin uncommitted.
    connection.exec_driver_sql("SET statement_timeout = 0")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()  # (a failed migration's transaction, if it is still open)
        connection.exec_driver_sql("RESET statement_timeout")  # to the connection's own
        connection.commit()
        raw.answer_timeout = bound


def ping_idle_connections(engine: Engine, answer_seconds=None):
    """Test a pooled connection before use only when it has sat idle, not on every request.

    ``pool_pre_ping`` sends ``SELECT 1`` on every checkout, a round trip on every
    page. A connection checked in less than RECENTLY_USED_SECONDS ago was answering
    then, so under load (one request after another) it is used as it is. One
    that has waited longer, as every connection has after a restart, is pinged
    first and, if the server has gone, replaced before the request sees it. As
    with any ping, a server that dies mid-request still fails that request (503).
    A working server answers the ping at once, so it waits ``answer_seconds`` at most
    (the connect timeout), not a whole statement's bound (AnswerBoundedConnection).
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < RECENTLY_USED_SECONDS:
            return
        bound = getattr(dbapi_connection, "answer_timeout", None)
        if bound is not None and answer_seconds is not None:
            dbapi_connection.answer_timeout = min(bound, answer_seconds)
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the idle connection was lost") from error
        finally:
            if bound is not None:
                dbapi_connection.answer_timeout = bound


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


def _may_write():
    """Whether a transaction beginning now is a writer's: a request other than GET, HEAD
    or OPTIONS, a ``writing()`` block, or work outside a request (CLI commands)."""
    if not has_request_context():
        return True
    return request.method not in READ_ONLY_METHODS or g.get(_WRITING, False)


_WRITING = "writing"


@contextlib.contextmanager
def writing():
    """A short write transaction, committed when the block ends.

    For a GET that writes after it has read (a case view's audit entry). On SQLite the
    request's transaction so far is committed first, and the block runs in a new one
    that begins IMMEDIATE, so it waits its turn for the write lock on the busy timeout
    instead of failing to upgrade a read transaction that another writer got ahead of;
    the lock is held for the block alone. PostgreSQL has no such lock to wait for (its
    readers and writers do not block one another), so there the block carries on in the
    request's transaction, which saves a COMMIT and a BEGIN (two round trips) on
    every case view. Loaded objects are not expired, so
    what the page read stays usable. If the block raises, its transaction is rolled back
    and the error goes on.
    """
    session = db.session()
    if not on_postgresql(session):
        commit_keeping_objects(session)
    setattr(g, _WRITING, True)
    try:
        yield session
        commit_keeping_objects(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        setattr(g, _WRITING, False)


def commit_keeping_objects(session):
    """Commit without expiring the loaded objects, which the request still uses."""
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def commit_without_waiting_for_disk(session):
    """Let this transaction's COMMIT return before PostgreSQL has flushed it to disk.

    For records whose loss in a server crash costs nothing but the record itself
    (a case view's audit entry): PostgreSQL's ``synchronous_commit = off`` keeps the
    database consistent and loses at most the last fraction of a second of such
    commits if the server itself crashes. The setting lasts until this transaction
    ends. SQLite (WAL with ``synchronous=NORMAL``) already commits without a flush.
    """
    if on_postgresql(session):
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def end_transaction(response):
    """after_request: end every request's transaction, here and nowhere else.

    A read (GET, HEAD, OPTIONS) that answered without an error is committed, with
    whatever it wrote (a calendar feed made on first use): a GET that writes needs
    nothing special. COMMIT rather than ROLLBACK also matters to a read that wrote
    nothing: on ROLLBACK psycopg forgets the statements it had prepared on the
    connection, and PostgreSQL would plan every statement of the next page afresh.
    Any other request commits its own work in the view (Post/Redirect/Get), so what is
    left open here (a form shown again with its errors, an error page) is rolled back.
    """
    if not db.session.registry.has():
        return response  # the request never opened a session (a static file)
    session = db.session()
    if not session.in_transaction():
        return response
    if request.method in READ_ONLY_METHODS and response.status_code < 400:
        commit_keeping_objects(session)
    else:
        session.close()  # ROLLBACK; unlike rollback(), never raises for a lost connection
    return response


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
