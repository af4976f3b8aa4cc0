"""Logs as one JSON object per line, so no input can forge or split a line.

Every value goes through ``json.dumps`` with ``ensure_ascii``: newlines, carriage
returns, other control characters and Unicode line separators in anything a
person typed come out as escapes (``\\n``, ``\\u2028``), never as a line break.
Tracebacks travel inside the object as one escaped string.

Records may carry structured fields as ``extra={"fields": {...}}``; the security
log (``learning_hub.security``, see ``learning_hub.audit``) always does.
"""

import json
import logging
import sys
from datetime import UTC, datetime

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
