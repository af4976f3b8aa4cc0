"""Engine tuning: SQLite pragmas, immediate write transactions, UTC helpers."""

import contextlib
import re
import time
from datetime import UTC, datetime

import psycopg
from flask import current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.types import TypeDecorator

from learning_hub.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow():
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def read(statement, params=None):
    """The result of ``statement``, a select of plain columns, run on the session's connection.

    ``Session.execute`` gives a statement built from mapped attributes the ORM's
    treatment (its compile state, loader options, result setup) even when every
    column is a plain value, and that costs more than the statement itself; on
    the session's own connection the same statement returns the same rows for
    half as much. Pending changes are flushed first, as the session's autoflush
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
        from sqlalchemy.pool import StaticPool

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

    ``pool_pre_ping`` sends ``SELECT 1`` on every checkout: a round trip on every
    page, about a tenth of a page's time on PostgreSQL. A connection checked in
    less than RECENTLY_USED_SECONDS ago was answering then, and no server restarts
    in 50 ms, so under load (one request after another) it is used as it is. One
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
        if _may_write():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif not g.get(_READING_IN_AUTOCOMMIT):
            connection.exec_driver_sql("BEGIN")
        # else: a page that only reads (read_without_transaction) sends no BEGIN, so
        # each statement reads on its own, as pysqlite's autocommit connection does.


def writes_on_get(view):
    """Mark a view whose GET writes too (an audit entry, a record made on first use).

    On SQLite its transaction then takes the write lock at BEGIN and waits its
    turn, instead of failing with "database is locked" when a concurrent writer
    got there first and the read transaction cannot be upgraded.
    """
    view.writes_on_get = True
    return view


def read_without_transaction():
    """before_request: a page that only reads runs its statements in autocommit.

    In a transaction every page costs two more round trips, its BEGIN and its
    COMMIT, about a tenth of a short page's time. Under PostgreSQL's READ COMMITTED
    each statement sees the latest committed data either way, so a read gains
    nothing from the transaction block. Requests that may write keep it (as
    ``_may_write`` tells SQLite's BEGIN: every method but GET, HEAD and OPTIONS, and
    views marked ``writes_on_get``), and so do views that call ``start_writing``
    first, which ends the autocommit reading. A write attempted
    while reading this way is refused (``ReadOnlyRequestWrote``) rather than
    committed statement by statement.

    On SQLite the same holds: a read outside BEGIN sees the latest committed data
    (WAL), and the page is spared its BEGIN and the COMMIT of a transaction that
    held nothing, so the begin handler (``configure_sqlite``) sends no BEGIN for it.
    """
    if (
        # The health check asks for its connection itself, to answer 503 as JSON.
        request.endpoint in (None, "static", "site.healthz") or _may_write()
    ):
        return
    session = db.session()
    if session.in_transaction():
        return  # (a test's session, shared with the requests it makes, is already reading)
    if on_postgresql(session):
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    else:
        g.setdefault(_READING_IN_AUTOCOMMIT, True)
    session.info[_AUTOCOMMIT_READ] = True


def reading_in_autocommit(session):
    """Whether this request only reads, each statement on its own (read_without_transaction)."""
    return bool(session.info.get(_AUTOCOMMIT_READ))


class ReadOnlyRequestWrote(RuntimeError):
    """A view reading in autocommit tried to write without saying so first."""


def _refuse_autocommit_write(session):
    if session.info.get(_AUTOCOMMIT_READ):
        raise ReadOnlyRequestWrote(
            "this GET view writes: mark it writes_on_get or call start_writing first"
        )


def start_writing(session):
    """End this request's read transaction; its next one takes SQLite's write lock at BEGIN.

    For a GET that reads a lot and writes one row at the end (a case view's audit
    entry): the page is built in a plain read transaction, so viewers do not queue
    behind one another while pages render, and only the short write that follows
    waits for the lock. Nothing is expired, so the rendered objects stay usable.

    On PostgreSQL a page read in autocommit (``read_without_transaction``) hands its
    connection back, so the write gets a transaction of its own; a transaction that
    has read simply carries on: there it can write without queueing behind anyone
    (writers lock rows, not the database), so ending it would only cost a round trip
    for its COMMIT.
    """
    if on_postgresql(session):
        if session.info.pop(_AUTOCOMMIT_READ, False):
            # The connection goes back to the pool; the write takes one in a transaction.
            commit_keeping_objects(session)
        return
    session.info.pop(_AUTOCOMMIT_READ, None)
    commit_keeping_objects(session)
    g.writes_now = True


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
    commits if the server itself crashes, and the page no longer waits for a disk
    flush on every view. The setting lasts until this transaction ends. SQLite
    (WAL with ``synchronous=NORMAL``) already commits without a flush.
    """
    if on_postgresql(session):
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


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


_WROTE = "transaction_wrote"
# A read-only request's connection is in autocommit (read_without_transaction).
_AUTOCOMMIT_READ = "autocommit_read"
# On SQLite: this request's reads send no BEGIN (read_without_transaction).
_READING_IN_AUTOCOMMIT = "reading_in_autocommit"


def end_read_transaction(response):
    """after_request: end a GET's untouched read transaction with COMMIT, not ROLLBACK.

    The session's teardown ends any open transaction with ROLLBACK, and on ROLLBACK
    psycopg forgets every statement it had prepared on that connection (DDL in a
    rolled-back transaction could have changed what they refer to). Every page would
    then have PostgreSQL plan each of its statements afresh, which costs more than
    running them. A read-only transaction commits to the same effect, and its
    connection keeps its prepared statements for the next request. A transaction
    that wrote anything (flushed objects, Core DML), or a request that is not a
    read, is left to the teardown as before.
    """
    if not db.session.registry.has():
        return response  # the request never opened a session (a static file)
    session = db.session()
    if g.get(_READING_IN_AUTOCOMMIT) and session.info.get(_AUTOCOMMIT_READ):
        return response  # SQLite sent no BEGIN: there is no transaction to end
    if (
        request.method in READ_ONLY_METHODS
        and session.in_transaction()
        and not session.info.get(_WROTE)
        and not (session.new or session.dirty or session.deleted)
    ):
        commit_keeping_objects(session)
    return response


# A session's transaction that wrote is marked until it ends (statements other than
# SELECT, text() included, count as writes).
@event.listens_for(AppSession, "do_orm_execute")
def _note_write(state):
    if not state.is_select:
        if state.is_insert or state.is_update or state.is_delete:
            _refuse_autocommit_write(state.session)
        state.session.info[_WROTE] = True


# What a statement may begin with and still only read (or steer the connection): every
# other statement, as the driver receives it, counts as a write.
_READING_STATEMENT = re.compile(
    r"\s*(SELECT|SHOW|EXPLAIN|VALUES|SET|RESET|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b",
    re.IGNORECASE,
)
_WRITING_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _writes(statement):
    if statement.lstrip()[:4].upper() == "WITH":  # a CTE may end in (or hide) a write
        return bool(_WRITING_WORD.search(statement))
    return not _READING_STATEMENT.match(statement)


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_core_write(_connection, _cursor, statement, _parameters, _context, _executemany):
    """Refuse a write in a read-only request however it was sent: ``text()``, Core
    statements on the session's connection (``read``), or SQL handed to the driver.

    The ORM's own events see only what goes through ``Session.execute`` and flushes;
    this sees every statement the request's connections send.
    """
    if has_request_context() and db.session.registry.has() and _writes(statement):
        _refuse_autocommit_write(db.session())


@event.listens_for(AppSession, "before_flush")
def _check_flush(session, _flush_context, _instances):
    _refuse_autocommit_write(session)


@event.listens_for(AppSession, "after_flush")
def _note_flush(session, _flush_context):
    session.info[_WROTE] = True


@event.listens_for(AppSession, "after_commit")
@event.listens_for(AppSession, "after_rollback")
def _forget_writes(session):
    session.info.pop(_WROTE, None)


@event.listens_for(AppSession, "after_transaction_end")
def _forget_autocommit_read(session, transaction):
    if transaction.parent is None:  # the connection goes back to the pool as it came
        session.info.pop(_AUTOCOMMIT_READ, None)


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
