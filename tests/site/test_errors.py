"""Error pages: plain, with a reference id that is the one on the server's log line."""

import logging
import re

import pytest
from flask import abort
from sqlalchemy.exc import OperationalError

from learning_hub.auth.models import User
from learning_hub.core.extensions import db
from learning_hub.core.logs import JsonFormatter
from tests import factories

REFERENCE = re.compile(r"Reference: <code>([0-9a-f]{10})</code>")
INTERNAL = ("Traceback", "sqlalchemy", 'File "', ".py", "/work/", "werkzeug")
SECRET = "secret internal detail at /srv/learning_hub/secret.py"


def logged_references(caplog):
    """(level, reference, record) for every captured record that carries a reference id."""
    found = []
    for record in caplog.records:
        ref = (getattr(record, "fields", None) or {}).get("ref")
        if ref:
            found.append((record.levelno, ref, record))
    return found


def assert_plain_page_matching_log(response, caplog, code, level, *secrets):
    """The page is plain, shows a reference, and one log record carries the same reference."""
    assert response.status_code == code
    body = response.get_data(as_text=True)
    assert "Reference" in body
    match = REFERENCE.search(body)
    assert match, body
    for text in (*INTERNAL, *secrets):
        assert text not in body, text
    logged = logged_references(caplog)
    assert len(logged) == 1, logged
    record_level, ref, record = logged[0]
    assert ref == match.group(1)
    assert record_level == level
    assert record.fields["status"] == code
    return record


def closed_case_entry(client, world):
    case = factories.create_case(world.north, world.staff)
    case.close()
    db.session.commit()
    return client.post(f"/cases/{case.id}/entries", data={"outcome": "missed"})


def other_teams_case(client, world):
    case = factories.create_case(world.south, world.outsider)
    return client.get(f"/cases/{case.id}")


PROVOKE = {
    "400 bad admin form": (400, lambda c, w: c.post(f"/admin/people/{w.staff.id}/role")),
    "403 wrong role": (403, lambda c, w: c.get("/admin/")),
    "404 unknown address": (404, lambda c, w: c.get("/no/such/page")),
    "404 another team's case": (404, other_teams_case),
    "405 wrong method": (405, lambda c, w: c.get("/logout")),
    "409 closed case": (409, closed_case_entry),
    "400 impossible page number": (400, lambda c, w: c.get("/learning?page=99999999999")),
    "400 null character": (400, lambda c, w: c.get("/modules?q=care%00plan")),
    "413 body too large": (
        413,
        lambda c, w: c.post("/login", data={"email": "x" * (1024 * 1024 + 10), "password": "p"}),
    ),
}
CLIENT_FOR = {"400 bad admin form": "admin", "413 body too large": None}


@pytest.mark.parametrize("case", list(PROVOKE))
def test_client_errors_are_plain_and_logged_at_info_with_the_page_reference(
    case, app, world, client_for, caplog
):
    """Does each 4xx show a plain page whose reference is on exactly one info log line?"""
    code, provoke = PROVOKE[case]
    role = CLIENT_FOR.get(case, "staff")
    client = app.test_client() if role is None else client_for(getattr(world, role))
    caplog.clear()
    response = provoke(client, world)
    assert_plain_page_matching_log(response, caplog, code, logging.INFO)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_failure_is_a_plain_400_with_the_logged_reference(
    client_for, world, caplog, app_config
):
    """Is a missing CSRF token a plain 400 that says the session expired, matching its log line?"""
    client = client_for("staff")
    response = client.post("/logout")
    record = assert_plain_page_matching_log(response, caplog, 400, logging.INFO)
    assert "Your session expired before the form was sent" in response.get_data(as_text=True)
    assert record.name == "learning_hub.security"


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute"}]
)
def test_rate_limit_is_a_plain_429_with_the_logged_reference(client, world, caplog, app_config):
    """Is the third log-in within a minute a plain 429 whose reference is on its log line?"""
    for _ in range(2):
        client.post("/login", data={"email": "staff@example.org", "password": "wrong"})
    caplog.clear()
    response = client.post("/login", data={"email": "staff@example.org", "password": "wrong"})
    record = assert_plain_page_matching_log(response, caplog, 429, logging.INFO)
    assert record.fields["event"] == "rate_limited"


def test_unexpected_error_is_a_plain_500_with_the_traceback_only_in_the_log(
    app, client_for, caplog
):
    """Is an exception a plain 500 page, with its traceback and message in the log alone?"""
    client = client_for("staff")

    def explode():
        raise RuntimeError(SECRET)

    app.add_url_rule("/_test/explode", "test_explode", explode)
    response = client.get("/_test/explode")
    record = assert_plain_page_matching_log(response, caplog, 500, logging.ERROR, SECRET)
    line = JsonFormatter().format(record)
    assert "Traceback" in line and SECRET in line and "\n" not in line


def test_database_error_in_a_500_logs_no_values_that_were_sent(app, client_for, world, caplog):
    """When a write fails with a 500, does the log name the statement but not the values?"""
    client = client_for("staff")
    marker = "marker-plover-display-name"

    taken = world.staff.email
    db.session.remove()  # this test's reads end here: the request's write waits for no one

    def duplicate():
        db.session.add(User(email=taken, display_name=marker, role="staff"))
        db.session.flush()

    app.add_url_rule("/_test/duplicate", "test_duplicate", duplicate)
    response = client.get("/_test/duplicate")
    record = assert_plain_page_matching_log(response, caplog, 500, logging.ERROR, marker)
    line = JsonFormatter().format(record)
    assert "IntegrityError" in line and "INSERT INTO users" in line
    assert marker not in line and taken not in line
    assert marker not in caplog.text


@pytest.mark.real_commits
def test_database_down_is_a_plain_503_with_the_logged_reference(client_for, caplog, monkeypatch):
    """With the database unreachable, is the page a plain 503 whose reference is on the log line?"""
    client = client_for("staff")
    from sqlalchemy.engine import Connection

    def broken(*args, **kwargs):
        raise OperationalError("SELECT secret_column", {}, Exception("connection refused"))

    monkeypatch.setattr(Connection, "execute", broken)  # every statement, ORM or not
    response = client.get("/modules")
    record = assert_plain_page_matching_log(
        response, caplog, 503, logging.ERROR, "connection refused", "secret_column"
    )
    assert record.fields["event"] == "database.unavailable"
    assert "connection refused" in record.getMessage()


def test_error_as_json_carries_the_logged_reference(app, client_for, caplog):
    """Does a client asking for JSON get the error and the same reference, and nothing else?"""
    client = client_for("staff")

    def refuse():
        abort(403, description=SECRET)

    app.add_url_rule("/_test/refuse", "test_refuse", refuse)
    response = client.get("/_test/refuse", headers={"Accept": "application/json"})
    assert response.status_code == 403
    body = response.get_json()
    assert set(body) == {"error", "reference"} and SECRET not in response.get_data(as_text=True)
    assert [ref for _, ref, _ in logged_references(caplog)] == [body["reference"]]


@pytest.mark.real_commits
def test_database_lost_mid_request_still_names_the_person_on_the_log_line(
    app, client_for, world, caplog, monkeypatch
):
    """When the database fails after the person was loaded, does the 503 line still name them?"""
    client = client_for("staff")
    from sqlalchemy.engine import Connection

    staff_id = world.staff.id
    real_execute = Connection.execute
    answered = []

    def fail_after_login(self, statement, *args, **kwargs):
        # The first statement loads the person for the session; then the database goes.
        if not answered:
            answered.append(statement)
            return real_execute(self, statement, *args, **kwargs)
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Connection, "execute", fail_after_login)
    response = client.get("/modules")
    record = assert_plain_page_matching_log(response, caplog, 503, logging.ERROR)
    assert record.fields["user_id"] == staff_id
