"""PostgreSQL goes away under a running server and comes back: 503s, then service resumes.

The outage is played on a throwaway cluster started for this test (never the
shared server): initdb into a temporary folder, pg_ctl start on a free port,
migrate, serve the app from a real WSGI server in a thread, stop the cluster,
start it again. Runs when the suite runs on PostgreSQL (TEST_DATABASE_URL);
without the server binaries it is skipped locally and fails in CI (CI=true).
As root the cluster runs as the postgres user (runuser), otherwise as the
current user.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.parse
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection
from tests import factories
from tests.conftest import TEST_DATABASE_URL, make_app


def _postgres_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts)
    return found[-1].parent if found else None


PG_BIN = _postgres_bin()

pytestmark = [
    pytest.mark.real_commits,
    pytest.mark.skipif(
        not (TEST_DATABASE_URL or "").startswith("postgresql"),
        reason="plays a PostgreSQL outage: runs when the suite runs on PostgreSQL",
    ),
]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of our own in a temporary folder, run as the postgres user."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="hub-outage-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        else:
            self.prefix = []

    def run(self, tool, *args, check=True):
        return subprocess.run(
            [*self.prefix, str(PG_BIN / tool), *args],
            check=check,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def initdb(self):
        self.run(
            "initdb",
            "-D",
            str(self.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self, mode="fast", check=True):
        return self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=check)

    def create_database(self, name):
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self):
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster(request):
    if PG_BIN is None:
        message = "the PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)  # CI must play the outage, not skip it
        pytest.skip(message)
    cluster = Cluster()
    request.addfinalizer(cluster.remove)
    cluster.initdb()
    cluster.start()
    return cluster


@pytest.fixture
def served(cluster, request):
    """The app on the throwaway cluster, migrated, with people, behind a real WSGI server."""
    app = make_app(cluster.create_database("hub"))
    with app.app_context():
        upgrade()
        world = factories.create_world()
        staff_email = world.staff.email
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop_serving():
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()

    request.addfinalizer(stop_serving)
    return app, Browser(server.server_port), staff_email


class Browser:
    """Plain HTTP to the server, keeping the session cookie, never following redirects."""

    def __init__(self, port):
        self.port = port
        self.cookie = ""

    def request(self, method, path, form=None, accept="text/html"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Accept": accept, "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            cookie = response.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, form):
        return self.request("POST", path, form)


def test_site_answers_503_while_postgres_is_down_and_recovers_without_a_restart(served, cluster):
    """While PostgreSQL is stopped, do pages, writes and /healthz answer 503 (not 500), and once
    it is back does the same server answer 200 again with every saved write kept?"""
    app, browser, staff_email = served
    status, _ = browser.post(
        "/login", {"email": staff_email, "password": factories.PASSWORD, "next": ""}
    )
    assert status == 302
    module = app.extensions["content"].library.get("noticing-your-own-reactions")
    prompt = module.prompts[0].id
    saved = []

    def write(text):
        form = {
            f"{prompt}-body": text,
            f"{prompt}-share_team_id": "0",
            f"{prompt}-submission_token": uuid.uuid4().hex,
        }
        status, page = browser.post(f"/modules/{module.slug}/prompts/{prompt}", form)
        if status == 302:
            saved.append(text)
        return status, page

    for n in range(3):
        assert write(f"Before the outage, note {n}")[0] == 302
    assert browser.get("/")[0] == 200
    assert browser.get("/healthz")[0] == 200

    cluster.stop("fast")
    status, page = browser.get("/")
    assert status == 503 and "briefly unavailable" in page
    status, page = browser.get(f"/modules/{module.slug}")
    assert status == 503 and "briefly unavailable" in page
    status, page = write("During the outage")
    assert status == 503 and "briefly unavailable" in page
    status, body = browser.get("/healthz", accept="application/json")
    assert status == 503 and json.loads(body)["database"] == "unreachable"

    cluster.start()
    assert browser.get("/")[0] == 200
    assert browser.get("/healthz")[0] == 200
    assert browser.get(f"/modules/{module.slug}")[0] == 200
    for n in range(3):
        assert write(f"After the outage, note {n}")[0] == 302

    # A restart between two requests leaves only dead connections in the pool;
    # pool_pre_ping finds them out, so the very next request still succeeds.
    cluster.stop("fast")
    cluster.start()
    assert browser.get("/")[0] == 200
    assert write("After a quiet restart")[0] == 302

    with app.app_context():
        stored = db.session.scalars(db.select(Reflection.body).order_by(Reflection.id)).all()
        db.session.remove()
    assert stored == saved
    assert len(saved) == 7
