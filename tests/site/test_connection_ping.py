"""PostgreSQL connections are tested before use only when they have sat idle in the pool."""

import pytest
import sqlalchemy as sa

from learning_hub.core import database
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.real_commits


@pytest.fixture
def engine(tmp_path):
    """An engine with the idle-connection ping (the rule is the same on any driver)."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'ping.sqlite3'}"
    engine = sa.create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=False)
    database.ping_idle_connections(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine, monkeypatch):
    made = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection):
        made.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return made


def use(engine):
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
        return connection.connection.dbapi_connection


def test_a_connection_used_a_moment_ago_is_not_pinged(engine, pings):
    """Under load, one request after another, does a page skip the ping's round trip?"""
    use(engine)
    use(engine)
    use(engine)
    assert pings == []


def test_a_connection_that_sat_idle_is_pinged_first(engine, pings, monkeypatch):
    """Is a connection idle for longer than RECENTLY_USED_SECONDS tested before use?"""
    first = use(engine)
    monkeypatch.setattr(database, "RECENTLY_USED_SECONDS", 0)
    assert use(engine) is first
    assert pings == [first]


def test_an_idle_connection_the_server_dropped_is_replaced(engine, monkeypatch):
    """Does a failed ping swap the dead connection for a new one, unseen by the request?"""
    first = use(engine)
    monkeypatch.setattr(database, "RECENTLY_USED_SECONDS", 0)

    def lost(_dbapi_connection):
        error = engine.dialect.loaded_dbapi.OperationalError
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(engine.dialect, "do_ping", lost)
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection is not first
        monkeypatch.undo()
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1


def test_no_page_pays_for_a_ping_on_every_request(app):
    """Is SQLAlchemy's ping on every checkout off, on SQLite and on PostgreSQL alike?"""
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
