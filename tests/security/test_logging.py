"""The security log: one structured JSON line per event, and nothing private in any log."""

import io
import json
import logging
import re

import pytest

from learning_hub.cases.models import CaseReflection
from learning_hub.core import audit
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from learning_hub.core.logs import JsonFormatter
from tests import factories

SECURITY = "learning_hub.security"
FIELDS = {"time", "event", "user_id", "client", "route", "endpoint", "method", "outcome", "ref"}
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
REFERENCE = re.compile(r"Reference: <code>([0-9a-f]{10})</code>")


def security_lines(caplog):
    """The security-log records of this test, formatted and parsed back."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == SECURITY]


def one_line(caplog, event):
    """The only security line captured, which must be ``event`` and carry every field."""
    lines = security_lines(caplog)
    assert [line["event"] for line in lines] == [event]
    line = lines[0]
    assert line.keys() >= FIELDS
    assert UTC_TIME.match(line["time"])
    assert line["client"] == "127.0.0.1"
    return line


def page_reference(response):
    return REFERENCE.search(response.get_data(as_text=True)).group(1)


def log_in_through_form(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_login_success_is_one_line(client, world, caplog):
    """Does a successful log-in write exactly one line with who, from where, on which route?"""
    response = log_in_through_form(client, "staff@example.org", factories.PASSWORD)
    assert response.status_code == 302
    line = one_line(caplog, "login.succeeded")
    assert line["outcome"] == "success" and line["user_id"] == world.staff.id
    assert line["route"] == "/login" and line["endpoint"] == "auth.login"
    assert line["method"] == "POST" and line["ref"] is None


def test_wrong_password_is_one_failure_line(client, world, caplog):
    """Does a wrong password write one failure line naming the account, and no password?"""
    response = log_in_through_form(client, "staff@example.org", "not the password at all")
    assert response.status_code == 400
    line = one_line(caplog, "login.failed")
    assert line["outcome"] == "failure" and line["user_id"] == world.staff.id
    assert "not the password at all" not in json.dumps(line)


def test_unknown_email_is_logged_without_the_email(client, world, caplog):
    """Does a log-in for an unknown email write one failure line with no trace of the email?"""
    log_in_through_form(client, "nobody-here@example.org", "whatever it is")
    line = one_line(caplog, "login.failed")
    assert line["outcome"] == "failure" and line["user_id"] is None
    assert "nobody-here" not in caplog.text and "nobody-here" not in json.dumps(line)


def test_lockout_and_refusal_while_locked_are_one_line_each(client, world, app, caplog):
    """Is the failure that locks an account logged with the lockout, and a later try refused?"""
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        log_in_through_form(client, "staff@example.org", "wrong password")
    caplog.clear()
    log_in_through_form(client, "staff@example.org", "wrong password")
    lines = [line for line in security_lines(caplog) if line["logger"] == SECURITY]
    assert [line["event"] for line in lines] == ["login.failed", "login.locked"]
    assert lines[1]["outcome"] == "failure" and lines[1]["user_id"] == world.staff.id
    caplog.clear()
    log_in_through_form(client, "staff@example.org", factories.PASSWORD)
    line = one_line(caplog, "login.refused_locked")
    assert line["outcome"] == "refused" and line["user_id"] == world.staff.id


def test_logout_is_one_line(client_for, world, caplog):
    """Does logging out write exactly one line for the person?"""
    client = client_for("staff")
    assert client.post("/logout").status_code == 302
    line = one_line(caplog, "logout")
    assert line["user_id"] == world.staff.id and line["route"] == "/logout"
    assert line["outcome"] == "success"


def test_forbidden_page_is_one_refusal_line_with_the_page_reference(client_for, world, caplog):
    """Is a 403 one 'refused' line whose reference id is the one on the page?"""
    client = client_for("staff")
    response = client.get("/admin/")
    assert response.status_code == 403
    line = one_line(caplog, "access.refused")
    assert line["outcome"] == "refused" and line["status"] == 403
    assert line["user_id"] == world.staff.id and line["route"] == "/admin/"
    assert line["ref"] == page_reference(response)


def test_out_of_scope_case_is_one_refusal_line(client_for, world, caplog):
    """Is another team's case (answered 404) logged once as refused, by route and not by path?"""
    client = client_for("outsider")
    case = factories.create_case(world.north, world.staff)
    caplog.clear()
    response = client.get(f"/cases/{case.id}?q=secret-query")
    assert response.status_code == 404
    line = one_line(caplog, "access.refused")
    assert line["status"] == 404 and line["user_id"] == world.outsider.id
    assert line["route"] == "/cases/<int:case_id>" and line["endpoint"] == "cases.detail"
    assert line["ref"] == page_reference(response)
    assert "secret-query" not in json.dumps(line)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_failure_is_a_plain_400_and_one_line(client_for, world, caplog, app_config):
    """Is a form without its CSRF token a plain 400 saying why, logged once with its reference?"""
    client = client_for("staff")
    response = client.post("/logout")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Your session expired before the form was sent" in body
    line = one_line(caplog, "csrf.failed")
    assert line["outcome"] == "refused" and line["status"] == 400
    assert line["user_id"] == world.staff.id and line["route"] == "/logout"
    assert line["ref"] == page_reference(response)
    assert line["reason"] == "The CSRF token is missing."


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "1 per minute"}]
)
def test_rate_limited_log_in_is_one_line(client, world, caplog, app_config):
    """Is a log-in refused by the rate limit logged once as refused, with the page's reference?"""
    log_in_through_form(client, "staff@example.org", "wrong password")
    caplog.clear()
    response = log_in_through_form(client, "staff@example.org", "wrong password")
    assert response.status_code == 429
    line = one_line(caplog, "rate_limited")
    assert line["outcome"] == "refused" and line["status"] == 429
    assert line["ref"] == page_reference(response) and line["user_id"] is None


@pytest.mark.parametrize(
    ("path", "event"), [("/cases/{id}", "case.viewed"), ("/cases/{id}/export", "case.exported")]
)
def test_case_view_and_export_are_one_line_matching_the_audit_entry(
    client_for, world, caplog, path, event
):
    """Do a case view and an export each log one line that names the audit entry it matches?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    caplog.clear()
    assert client.get(path.format(id=case.id)).status_code == 200
    line = one_line(caplog, event)
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == event)).one()
    assert line["audit_id"] == entry.id and line["user_id"] == entry.actor_id == world.staff.id
    assert line["object_type"] == "cases" and line["object_id"] == case.id
    assert line["client"] == entry.ip_address and line["outcome"] == "success"


def test_an_audit_entry_rolled_back_is_never_logged(app, world, caplog):
    """Is an audit entry logged only when its transaction commits?"""
    with app.test_request_context("/"):
        audit.record("case.viewed", actor=world.staff, object_type="cases", object_id=1)
        db.session.flush()
        db.session.rollback()
        assert security_lines(caplog) == []
        audit.record("case.viewed", actor=world.staff, object_type="cases", object_id=2)
        db.session.commit()
    lines = security_lines(caplog)
    assert [(line["event"], line["object_id"]) for line in lines] == [("case.viewed", 2)]


def test_formatter_escapes_newlines_and_control_characters():
    """Can a newline, carriage return or control character in any value ever start a new line?"""
    hostile = 'a\nFAKE LOG {"event": "login.succeeded"}\r\x1b[31m\u2028\u0085end'
    try:
        raise ValueError(hostile)
    except ValueError as exc:
        error = (type(exc), exc, exc.__traceback__)
    record = logging.LogRecord(
        SECURITY, logging.WARNING, __file__, 1, "typed %s", (hostile,), error
    )
    record.fields = {"event": "login.failed", "email": hostile}
    line = JsonFormatter().format(record)
    for raw in ("\n", "\r", "\x1b", "\u2028", "\u0085"):
        assert raw not in line
    parsed = json.loads(line)
    assert parsed["message"] == f"typed {hostile}" and parsed["email"] == hostile
    assert hostile in parsed["exception"] and "Traceback" in parsed["exception"]


def test_newline_typed_at_log_in_cannot_forge_a_line(client, world, caplog):
    """Does an email with a newline typed at log-in leave every formatted log line single?"""
    caplog.set_level(logging.DEBUG)
    response = log_in_through_form(
        client, 'a\nFAKE LOG {"event":"login.succeeded"}', "wrong password"
    )
    assert response.status_code == 400  # refused at the form: an address is on one line
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert "FAKE LOG" not in "".join(lines) + caplog.text


def test_production_logs_are_json_lines_on_stderr(tmp_path, monkeypatch):
    """Outside tests, does every log record reach stderr as one JSON object per line?"""
    from learning_hub import create_app
    from learning_hub.core import logs

    uri = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    try:
        create_app(
            {
                "APP_ENV": "production",
                "SECRET_KEY": "p" * 40,
                "SQLALCHEMY_DATABASE_URI": uri,
                "BASE_URL": "https://hub.example.org",
            }
        )
        create_app(
            {
                "APP_ENV": "production",
                "SECRET_KEY": "p" * 40,
                "SQLALCHEMY_DATABASE_URI": uri,
                "BASE_URL": "https://hub.example.org",
            }
        )
        audit.security_log.info("login.failed", extra={"fields": {"event": "login.failed"}})
        logging.getLogger("some.library").warning("two\nlines")
    finally:
        added = [h for h in root.handlers if h not in before[0]]
        for handler in added:
            root.removeHandler(handler)
        root.setLevel(before[1])
    assert len(added) == 1 and isinstance(added[0].formatter, logs.JsonFormatter)
    written = stream.getvalue().splitlines()
    parsed = [json.loads(line) for line in written]
    assert [p["message"] for p in parsed] == ["login.failed", "two\nlines"]
    assert parsed[0]["logger"] == SECURITY and parsed[0]["event"] == "login.failed"


MARKERS = {
    "context": "marker-kestrel-context",
    "note": "marker-heron-note",
    "trigger": "marker-otter-trigger",
    "plan": "marker-badger-plan",
    "identify": "marker-wren-identify",
    "analyse": "marker-vole-analyse",
    "response": "marker-newt-response",
    "email": "marker-stoat@example.org",
}
PASSWORD = "Kingfisher-Lantern-8841"
WRONG_PASSWORD = "Kingfisher-Lantern-8842"


def test_a_whole_session_leaves_no_password_or_private_text_in_any_log(app, client, world, caplog):
    """After a realistic session, is no password or written text in any log at any level?"""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="learning_hub")
    person = factories.create_user(
        email="writer@example.org", password=PASSWORD, teams={world.north: "member"}
    )
    teammate = factories.create_user(teams={world.north: "member"})
    log_in_through_form(client, MARKERS["email"], PASSWORD)
    assert log_in_through_form(client, "writer@example.org", WRONG_PASSWORD).status_code == 400
    assert log_in_through_form(client, "writer@example.org", PASSWORD).status_code == 302

    created = client.post(
        f"/teams/{world.north.id}/cases/new",
        data={"gender": "female", "age_band": "25-34", "context": MARKERS["context"]},
    )
    assert created.status_code == 302
    case_path = created.headers["Location"]
    case_id = int(case_path.rsplit("/", 1)[1])
    steps = [
        (
            f"/cases/{case_id}/entries",
            {
                "occurred_on": "2026-01-05",
                "method": "phone",
                "initiated_by": "worker",
                "outcome": "no-answer",
                "note": MARKERS["note"],
            },
        ),
        (f"/cases/{case_id}/triggers", {"kind": "thoughts", "description": MARKERS["trigger"]}),
        (
            f"/cases/{case_id}/plan",
            {
                "made_with_person": "yes",
                "preferred_times": "afternoons",
                "during_disengagement": MARKERS["plan"],
                "agreed_on": "2026-01-05",
            },
        ),
        (
            f"/cases/{case_id}/reflections/new",
            {
                "identify": MARKERS["identify"],
                "analyse": MARKERS["analyse"],
                "plan": "texts in the afternoon",
            },
        ),
    ]
    for path, data in steps:
        assert client.post(path, data=data).status_code == 302, path
    reflection_id = db.session.scalars(db.select(CaseReflection.id)).one()
    teammate_client = client.application.test_client()
    log_in_through_form(teammate_client, teammate.email, factories.PASSWORD)
    reply = teammate_client.post(
        f"/cases/{case_id}/reflections/{reflection_id}", data={"body": MARKERS["response"]}
    )
    assert reply.status_code == 302
    assert client.get(case_path).status_code == 200
    exported = client.get(f"/cases/{case_id}/export").get_data(as_text=True)
    for name in ("context", "note", "trigger", "plan", "identify", "analyse", "response"):
        assert MARKERS[name] in exported, name
    assert client.post("/logout").status_code == 302

    events = {line["event"] for line in security_lines(caplog)}
    assert {"login.failed", "login.succeeded", "case.viewed", "case.exported", "logout"} <= events
    formatter = JsonFormatter()
    everything = caplog.text + "\n".join(formatter.format(r) for r in caplog.records)
    for secret in (PASSWORD, WRONG_PASSWORD, *MARKERS.values()):
        assert secret not in everything, secret
    assert person.id in {line["user_id"] for line in security_lines(caplog)}


class _Diagnostics:
    constraint_name = "ck_case_entries_note"
    table_name = "case_entries"
    column_name = None


class _ServerError(Exception):
    """Shaped like a psycopg error: PostgreSQL quotes the failing row in its message."""

    sqlstate = "23514"
    diag = _Diagnostics()


def test_logged_database_errors_never_quote_the_values():
    """Does a logged database error keep the statement and constraint but drop quoted values?"""
    from sqlalchemy.exc import IntegrityError

    from learning_hub.core.logs import safe_traceback

    driver = _ServerError("violates check\nDETAIL:  Failing row contains (marker-curlew-note).")
    try:
        try:
            raise driver
        except _ServerError as exc:
            raise IntegrityError("INSERT INTO case_entries (note) VALUES (?)", ("x",), exc) from exc
    except IntegrityError as exc:
        text = safe_traceback(exc)
    assert "marker-curlew-note" not in text and "Failing row" not in text
    assert "INSERT INTO case_entries (note) VALUES (?)" in text
    assert "sqlstate=23514 constraint=ck_case_entries_note table=case_entries" in text
    assert text.count("Traceback (most recent call last):") == 2
    assert "direct cause of the following exception" in text
