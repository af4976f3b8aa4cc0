"""Logs as one JSON object per line, so no input can forge or split a line.

Every value goes through ``json.dumps`` with ``ensure_ascii``: newlines, carriage
returns, other control characters and Unicode line separators in anything a
person typed come out as escapes (``\\n``, ``\\u2028``), never as a line break.
Tracebacks travel inside the object as one escaped string.

Records may carry structured fields as ``extra={"fields": {...}}``; the security
log (``learning_hub.security``, see ``learning_hub.core.audit``) always does.
"""

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

from sqlalchemy import exc as sa_exc

APP_LOGGER = "learning_hub"


def utc_timestamp(created):
    """``created`` (seconds since the epoch) as ISO 8601 in UTC with a ``Z``."""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """Format a record as a single-line JSON object."""

    def format(self, record):
        line = {
            "time": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                line.setdefault(key, value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=True, default=str, separators=(",", ":"))


class _StderrJsonHandler(logging.StreamHandler):
    """The handler ``configure`` installs (a class of its own, so it is added once)."""


def configure(app):
    """Make the application's logs reach stderr as JSON lines.

    Tests leave the root logger alone so pytest's ``caplog`` sees every record;
    everywhere else one JSON handler on the root logger formats this app's
    records and those of the libraries alike (gunicorn keeps its own).
    """
    app_logger = logging.getLogger(APP_LOGGER)
    if app_logger.level == logging.NOTSET:
        app_logger.setLevel(logging.INFO)
    if app.testing:
        return
    root = logging.getLogger()
    if any(isinstance(handler, _StderrJsonHandler) for handler in root.handlers):
        return
    handler = _StderrJsonHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def safe_traceback(error):
    """``error``'s traceback, with database errors reduced to what holds no values.

    PostgreSQL puts the offending values in its messages ("Key (email)=(...)
    already exists", "Failing row contains (...)": a whole case note), and so
    SQLAlchemy's error text repeats them. For those this keeps the statement with
    its placeholders, the error class, SQLSTATE and the constraint, table and
    column names; every other exception keeps its message.
    """
    chain, seen = [], set()  # (exception, the sentence linking it to the next one)
    current, link = error, None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    drivers = {id(e.orig) for e, _ in chain if isinstance(e, sa_exc.DBAPIError)}
    parts = []
    for exc, link in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(exc.__traceback__))
        parts.append(f"{type(exc).__module__}.{type(exc).__qualname__}: ")
        parts.append(safe_message(exc, is_driver=id(exc) in drivers) + "\n")
        if link:
            parts.append(link)
    return "".join(parts)


def safe_message(exc, *, is_driver=False):
    """One line saying what went wrong, without the values a database error may quote."""
    if isinstance(exc, sa_exc.StatementError):
        orig = getattr(exc, "orig", None)
        inner = f"({type(orig).__name__}) {safe_message(orig, is_driver=True)} " if orig else ""
        return f"{inner}[SQL: {exc.statement}]"
    if is_driver or isinstance(exc, sa_exc.DBAPIError):
        return _driver_summary(exc)
    return str(exc)


def _driver_summary(exc):
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    diag = getattr(exc, "diag", None)
    if diag is None or sqlstate is None:
        # SQLite's messages, and a client library's own (connection refused, timeouts),
        # name constraints, columns and hosts, never the values sent.
        text = str(exc)
        return text.splitlines()[0][:200] if text else ""
    names = {
        "sqlstate": sqlstate,
        "constraint": diag.constraint_name,
        "table": diag.table_name,
        "column": diag.column_name,
    }
    return " ".join(f"{key}={value}" for key, value in names.items() if value)
