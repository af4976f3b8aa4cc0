"""A database that stops answering costs a request seconds (a 503), never the worker.

Three ways PostgreSQL can stop answering, each played here:
- a server that accepts the connection and never says anything (a fake one, a socket);
- an established connection whose server freezes (a proxy in front of the real test
  server stops passing bytes on, while its kernel still acknowledges them, as with a
  SIGSTOPped server: TCP keepalives and tcp_user_timeout cannot see that);
- a statement that runs past the statement timeout on a server that is fine.

Each request runs in a thread and is waited for with a generous bound, so the code as it
was (no timeouts) fails the test instead of hanging it.
"""

import contextvars
import socket
import threading
import time

import pytest
from sqlalchemy import make_url, text

from learning_hub.core.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_app

pytestmark = pytest.mark.real_commits

# Generous: the settings below make each answer come within about five seconds.
BOUND_SECONDS = 20
FAST = {"DATABASE_CONNECT_TIMEOUT_SECONDS": 2, "DATABASE_STATEMENT_TIMEOUT_MS": 1000}

on_postgres = pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="needs the PostgreSQL test server (TEST_DATABASE_URL)",
)


class SilentServer:
    """Accepts TCP connections and never sends a byte back."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.listener.close()
        for conn in self.held:
            conn.close()


class FreezingProxy:
    """Passes bytes between clients and the real server until ``freeze()``, then holds them.

    While frozen the sockets stay open and the kernel keeps acknowledging what the
    client sends, exactly as when the server process is stopped.
    """

    def __init__(self, host, port):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.running = threading.Event()
        self.running.set()
        self.sockets = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            self.running.wait()
            try:
                sink.sendall(data)
            except OSError:
                return

    def freeze(self):
        self.running.clear()

    def close(self):
        self.listener.close()
        for sock in self.sockets:
            sock.close()
        self.running.set()


def answer_within(seconds, call):
    """What ``call()`` returned, or a failure if it was still waiting after ``seconds``."""
    outcome = {}
    context = contextvars.copy_context()  # the test's app context, which the client uses

    def run():
        outcome["response"] = context.run(call)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert "response" in outcome, f"no answer after {seconds} s"
    return outcome["response"]


def logged_in_client(app, user_id="1"):
    """A client whose session names a person, so its pages must ask the database."""
    client = app.test_client()
    with client.session_transaction() as session:
        now = int(time.time())
        session.update({"_user_id": user_id, "_fresh": True, "started_at": now, "seen_at": now})
    return client


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def test_pages_and_healthz_answer_503_when_the_server_accepts_but_never_answers(silent_server):
    """When the database accepts connections but never answers, do a page and /healthz
    answer 503 within seconds instead of holding the worker?"""
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{silent_server.port}/hub", **FAST)
    client = logged_in_client(app)
    response = answer_within(BOUND_SECONDS, lambda: client.get("/"))
    assert response.status_code == 503
    assert "briefly unavailable" in response.get_data(as_text=True)
    response = answer_within(BOUND_SECONDS, lambda: app.test_client().get("/healthz"))
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    with app.app_context():
        db.engine.dispose()


@on_postgres
def test_a_frozen_server_on_an_open_connection_is_a_503_within_seconds(app, world):
    """When the server stops answering on connections already open (frozen, not closed),
    do a page and /healthz answer 503 within seconds?"""
    url = make_url(TEST_DATABASE_URL)
    proxy = FreezingProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    frozen_app = make_app(proxied, **FAST)
    try:
        client = logged_in_client(frozen_app, world.staff.get_id())
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        proxy.freeze()
        time.sleep(0.1)  # past RECENTLY_USED_SECONDS: the pooled connection is pinged first
        response = answer_within(BOUND_SECONDS, lambda: client.get("/"))
        assert response.status_code == 503
        response = answer_within(BOUND_SECONDS, lambda: client.get("/healthz"))
        assert response.status_code == 503
    finally:
        proxy.close()
        with frozen_app.app_context():
            db.engine.dispose()


@pytest.fixture
def app_config():
    return {"DATABASE_STATEMENT_TIMEOUT_MS": 300}


@on_postgres
def test_a_statement_past_the_statement_timeout_is_a_503_not_a_500(app, world, client_for):
    """Does a query that runs past the statement timeout end in the 503 page, not a 500
    and not a worker held until it finishes?"""

    def slow_page():
        db.session.execute(text("SELECT pg_sleep(5)"))
        return "finished"

    app.add_url_rule("/_slow", "slow_page", slow_page)
    client = client_for(world.staff)
    response = answer_within(BOUND_SECONDS, lambda: client.get("/_slow"))
    assert response.status_code == 503
    assert "briefly unavailable" in response.get_data(as_text=True)
