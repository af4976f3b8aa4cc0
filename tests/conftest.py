"""Fixtures: one migrated database per session, each test in a rolled-back transaction.

The migrations run once per session (per pytest-xdist worker): into a template file
on SQLite (the default), into an emptied schema on PostgreSQL (TEST_DATABASE_URL).
Each test then runs inside an outer transaction on one connection that is rolled back
when it ends: the app's sessions (the test's own and each request's) are bound to that
connection with ``join_transaction_mode="create_savepoint"``, so their commit() and
rollback() only release or roll back savepoints (SQLAlchemy's "joining a session into
an external transaction"). On SQLite that needs pysqlite's own transaction handling
off and BEGIN issued by SQLAlchemy, which ``configure_sqlite`` already does.

A test that needs real commits (several connections, threads, processes, migrations,
backups) is marked ``@pytest.mark.real_commits``: it gets a copy of the template file
of its own (SQLite) or has every row deleted after it (PostgreSQL).

Under pytest-xdist (``-n``), each worker gets a database of its own on the same
PostgreSQL server, named after the configured one and the worker.
"""

import contextlib
import contextvars
import email
import email.policy
import os
import re
import shutil
import socket
import time
from collections import Counter

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine, make_url, text

from learning_hub import create_app
from learning_hub.core.extensions import cache, db, limiter
from tests import factories


def _database_for_this_worker(url):
    """The configured PostgreSQL URL, or under pytest-xdist one database per worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker or not url.startswith("postgresql"):
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


TEST_DATABASE_URL = _database_for_this_worker(os.environ.get("TEST_DATABASE_URL"))
BASE_CONFIG = {
    "APP_ENV": "testing",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "CONTENT_DIR": os.path.join(os.path.dirname(os.path.dirname(__file__)), "content"),
}


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    The tests hold an app context open for their own queries; without this, every
    request would share it (and its database session and ``g``) with the test.
    The test's transaction is ended around each request so both sides see fresh data.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.commit()
        return response


def make_app(uri, **overrides):
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": uri, **overrides})


def reset_postgres_schema(uri):
    app = make_app(uri)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """The database URI (PostgreSQL) or template file (SQLite) built by the migrations."""
    if TEST_DATABASE_URL:
        reset_postgres_schema(TEST_DATABASE_URL)
        app = make_app(TEST_DATABASE_URL)
        with app.app_context():
            upgrade()
            db.engine.dispose()
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    app = make_app(f"sqlite:///{template}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return template


@pytest.fixture(scope="session")
def shared_database(migrated_database, tmp_path_factory):
    """The database URI the rolled-back tests share: on SQLite a copy of the template
    (which the real_commits tests copy in turn), on PostgreSQL the migrated database."""
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    shared = tmp_path_factory.mktemp("shared") / "shared.sqlite3"
    shutil.copyfile(migrated_database, shared)
    return f"sqlite:///{shared}"


def _delete_all_rows():
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def empty_database():
    """Every row gone, as in a freshly migrated database (inside a test)."""
    db.session.remove()
    session = db.session()
    for table in reversed(db.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()
    db.session.remove()


class _ConnectionBoundSession(Session):
    """The app's session class bound to the test's connection for every table.

    Flask-SQLAlchemy's ``get_bind`` picks the engine from a table's metadata before it
    looks at the session's own ``bind``; here the bind (the connection) always wins.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


@contextlib.contextmanager
def _rolled_back_transaction():
    """Every session the app makes in the block joins one outer transaction on one
    connection (through savepoints), rolled back when the block ends."""
    connection = db.engine.connect()
    outer = connection.begin()
    factory = db.session.session_factory
    saved_class, saved_kw = factory.class_, dict(factory.kw)
    db.session.remove()
    factory.class_ = _ConnectionBoundSession
    factory.kw.update(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        db.session.remove()
        factory.class_ = saved_class
        factory.kw.clear()
        factory.kw.update(saved_kw)
        if outer.is_active:
            outer.rollback()
        connection.close()


@pytest.fixture
def app_config():
    """Per-test overrides of the configuration; override this fixture to change them."""
    return {}


@pytest.fixture
def app(request, migrated_database, shared_database, tmp_path, app_config):
    real_commits = request.node.get_closest_marker("real_commits") is not None
    if not real_commits:
        uri = shared_database
    elif TEST_DATABASE_URL:
        uri = TEST_DATABASE_URL
    else:
        copy = tmp_path / "test.sqlite3"
        shutil.copyfile(migrated_database, copy)
        uri = f"sqlite:///{copy}"
    application = make_app(uri, **app_config)
    application.test_client_class = IsolatedClient
    if application.config["RATELIMIT_ENABLED"]:
        limiter.reset()
    with application.app_context():
        # The cache is on, as in production, and starts empty: nothing one test drew is
        # seen by the next (a shared CACHE_TYPE such as Redis would otherwise carry it).
        cache.clear()
        with contextlib.nullcontext() if real_commits else _rolled_back_transaction():
            yield application
        cache.clear()
        db.session.remove()
        if real_commits and TEST_DATABASE_URL:
            _delete_all_rows()
        db.engine.dispose()


@pytest.fixture
def cache_expires(app, monkeypatch):
    """``cache_expires()`` moves the cache's clock past CACHE_DEFAULT_TIMEOUT, as if that
    long had passed: a time-limited aggregate is computed afresh on the next view."""
    import cachelib.simple

    moved = [0]
    real = cachelib.simple.time
    monkeypatch.setattr(cachelib.simple, "time", lambda: real() + moved[0])

    def expire():
        moved[0] += app.config["CACHE_DEFAULT_TIMEOUT"] + 1

    return expire


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    return factories.create_user


@pytest.fixture
def create_team(app):
    return factories.create_team


@pytest.fixture
def world(app):
    """Teams North and South with one person of each kind, as in the demo data."""
    return factories.create_world()


def log_in(client, user):
    """Give ``client`` a session for ``user`` without going through the form."""
    with client.session_transaction() as session:
        now = int(time.time())
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["started_at"] = now
        session["seen_at"] = now
    return client


@pytest.fixture
def client_for(app, request):
    """``client_for("staff")`` is a new client logged in as that person of the ``world``
    (staff, facilitator, leader, admin, outsider); ``client_for(user)`` one logged in as
    ``user``. The world is only made when a role is asked for."""

    def _client_for(who):
        user = getattr(request.getfixturevalue("world"), who) if isinstance(who, str) else who
        return log_in(app.test_client(), user)

    return _client_for


# The CSRF token a page carries is signed with the second it was made in.
SIGNED_CSRF = re.compile(r"[\w-]+\.[\w-]{6}\.[\w-]{27}")


def without_csrf(html):
    """``html`` with its signed CSRF tokens blanked, to compare two views of a page."""
    return SIGNED_CSRF.sub("csrf", html)


class SmtpSink:
    """What a real local SMTP server (aiosmtpd) received, as e-mail messages."""

    def __init__(self):
        self.envelopes = []
        self.refuse = set()  # addresses the server refuses at RCPT, as a real one may

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]

    def recipients(self):
        """How many messages each address received."""
        return Counter(rcpt for e in self.envelopes for rcpt in e.rcpt_tos)

    def to(self, address):
        """The messages sent to ``address``."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_sink(app):
    """A real SMTP server on a free local port, with the app's mail settings pointed at it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield sink
    controller.stop()
