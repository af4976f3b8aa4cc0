"""Rules every response follows: security headers, error pages, health, static versions."""

import hashlib
import logging
import shutil
import uuid
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from learning_hub.core import audit, logs
from learning_hub.core.extensions import db, limiter

bp = Blueprint("site", __name__)
log = logging.getLogger("learning_hub.errors")

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)

ERROR_TEXT = {
    400: (
        "Something in that request was not right",
        "The page could not use what was sent. Go back, check the form and try again.",
    ),
    403: (
        "You do not have access to this page",
        "Your role does not include this page. If you think it should, ask an admin.",
    ),
    404: (
        "Page not found",
        "There is nothing here, or it is not shared with your teams. Check the address.",
    ),
    405: ("That action is not allowed here", "Use the buttons on the page instead."),
    409: ("Someone else changed this first", "Reload the page to see the latest version."),
    413: ("That was too large to send", "Shorten what you wrote and try again."),
    429: ("Too many attempts", "Please wait a minute before trying again."),
    500: (
        "Something went wrong on our side",
        "The problem has been logged. Try again in a moment.",
    ),
    503: (
        "Learning Hub is briefly unavailable",
        "The database is not answering. Try again in a minute; nothing you saved is lost.",
    ),
}


@bp.get("/healthz")
def healthz():
    """Each check by name. 503 when the database does not answer (nothing works without
    it); "degraded" but 200 while the site still serves people: the disk running low, or
    the rate-limit store unreachable (limits are then counted in each process's memory)."""
    checks = {
        "database": _database_health(),
        "disk": _disk_health(),
        "rate_limit_storage": _rate_limit_storage_health(),
    }
    if checks["database"] != "ok":
        return jsonify(status="unavailable", **checks), 503
    healthy = checks["disk"] == "ok" and checks["rate_limit_storage"] in ("ok", "off")
    return jsonify(status="ok" if healthy else "degraded", **checks)


def _database_health():
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return "ok"


def _folders_written_to():
    """The instance folder, a SQLite database file's folder, and BACKUP_DIR when set."""
    config = current_app.config
    folders = [current_app.instance_path]
    database = db.engine.url
    if database.get_backend_name() == "sqlite" and database.database not in (None, "", ":memory:"):
        folders.append(str(Path(database.database).resolve().parent))
    if config.get("BACKUP_DIR"):
        folders.append(config["BACKUP_DIR"])
    return [folder for folder in dict.fromkeys(folders) if Path(folder).is_dir()]


def _disk_health():
    """ "low" when any folder the site writes to has less than HEALTH_MIN_FREE_MB free."""
    minimum = current_app.config["HEALTH_MIN_FREE_MB"] * 1024 * 1024
    for folder in _folders_written_to():
        if shutil.disk_usage(folder).free < minimum:
            log.warning("disk space low in %s", folder)
            return "low"
    return "ok"


def _rate_limit_storage_health():
    if not current_app.config["RATELIMIT_ENABLED"]:
        return "off"
    return "ok" if limiter.storage.check() else "unreachable"


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# Pages may hold private practice material: never keep them in any cache.
NO_STORE = ("Cache-Control", "no-store")


def set_security_headers(response):
    """Every response's security headers; a view's own Content-Security-Policy stays.

    The names already set are read once: asking the headers for each name that is
    absent raises and catches a KeyError per name, on every response.
    """
    headers = response.headers
    present = {key.lower() for key, _value in headers}
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", CSP)
    wanted = list(SECURITY_HEADERS)
    if current_app.config["PREFERRED_URL_SCHEME"] == "https" and not current_app.testing:
        wanted.append(HSTS)
    if request.endpoint != "static":
        wanted.append(NO_STORE)
    for key, value in wanted:
        if key.lower() in present:
            headers.set(key, value)
        else:
            headers.add(key, value)
    return response


PLAIN_ERROR = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>{{ title }} · Learning Hub</title><main><h1>{{ title }}</h1><p>{{ message }}</p>
<p>Reference: <code>{{ ref }}</code></p></main></html>"""

CSRF_TEXT = (
    "Please send that form again",
    "Your session expired before the form was sent, so nothing was saved. Go back, copy "
    "anything you typed, reload the page and send it again. If you have been logged out, "
    "log in first.",
)


CSRF_EXPIRED_TEXT = (
    "Please send that form again",
    "The form was open for more than an hour, so for your security it was not saved. Go "
    "back, copy anything you typed, reload the page and send it again.",
)


def new_reference():
    """A short id shown on an error page and written on its log line."""
    return uuid.uuid4().hex[:10]


def _wants_json():
    return request.path == "/healthz" or request.accept_mimetypes.best == "application/json"


def render_error(code, reference=None, text=None):
    title, message = text or ERROR_TEXT.get(code, ERROR_TEXT[500])
    if _wants_json():
        return jsonify(error=title, reference=reference), code
    return render_template(
        "errors/error.html", code=code, title=title, message=message, reference=reference
    ), code


def _refusal(code):
    """The security event an error answers, or None when it is no refusal."""
    if code == 403:
        return "access.refused"
    # A matched route answering 404 is an object loader hiding something out of scope
    # (or absent: the loaders answer both alike, on purpose).
    if code == 404 and request.url_rule is not None and request.endpoint != "static":
        return "access.refused"
    if code == 429:
        return "rate_limited"
    return None


def _log_client_error(code, reference):
    fields = audit.event_fields(
        "http.error",
        audit.FAILURE,
        user_id=audit.request_user_id(),
        ref=reference,
        status=code,
    )
    log.info("http %s ref=%s", code, reference, extra={"fields": fields})


def refuse(code, text):
    """Answer input no page can use with the plain error page, its own ``(title, message)``,
    a reference id and the log line carrying it, like every other error."""
    reference = new_reference()
    _log_client_error(code, reference)
    return render_error(code, reference, text)


def handle_http_error(error: HTTPException):
    code = error.code or 500
    reference = new_reference()
    event = _refusal(code)
    if event is not None:
        audit.log_event(event, audit.REFUSED, ref=reference, status=code)
    else:
        _log_client_error(code, reference)
    response, status = render_error(code, reference)
    if code == 405 and getattr(error, "valid_methods", None):
        response = current_app.make_response((response, status))
        response.headers["Allow"] = ", ".join(error.valid_methods)
        return response
    return response, status


def handle_csrf_error(error: CSRFError):
    """A form sent without a valid CSRF token: usually a session that ended meanwhile."""
    reference = new_reference()
    # The reason is one of Flask-WTF's fixed sentences, never anything that was sent.
    audit.log_event(
        "csrf.failed", audit.REFUSED, ref=reference, status=400, reason=error.description
    )
    expired = error.description == "The CSRF token has expired."
    return render_error(400, reference, CSRF_EXPIRED_TEXT if expired else CSRF_TEXT)


def handle_database_down(error: OperationalError):
    db.session.rollback()
    reference = new_reference()
    fields = audit.event_fields(
        "database.unavailable",
        audit.FAILURE,
        user_id=audit.request_user_id(load=False),
        ref=reference,
        status=503,
        error=type(error.orig).__name__,
    )
    # What the driver said (for example "connection refused"), for the server only.
    reason = logs.safe_message(error.orig, is_driver=True)
    log.error("database unavailable ref=%s: %s", reference, reason, extra={"fields": fields})
    # The page's layout asks who is logged in. When the request failed before it knew,
    # finding out would wait on the database again (a second connect timeout): the
    # plain page needs nothing.
    if "_login_user" in g or _wants_json():
        try:
            return render_error(503, reference)
        except DBAPIError:
            db.session.rollback()
    title, message = ERROR_TEXT[503]
    template = current_app.jinja_env.from_string(PLAIN_ERROR)  # no context processors
    page = template.render(title=title, message=message, ref=reference)
    return page, 503


def handle_unexpected(error: Exception):
    db.session.rollback()
    reference = new_reference()
    fields = audit.event_fields(
        "http.unhandled",
        audit.FAILURE,
        user_id=audit.request_user_id(load=False),
        ref=reference,
        status=500,
        error=type(error).__name__,
        # For the server's log only, as one escaped JSON string, without database values.
        exception=logs.safe_traceback(error),
    )
    log.error("unhandled error ref=%s", reference, extra={"fields": fields})
    return render_error(500, reference)


def handle_lost_connection(error: DBAPIError):
    """Answer every lost database connection with the plain 503 page, never a 500.

    ``OperationalError`` (refused, reset, closed mid-query or mid-commit) has its own
    handler; this one catches the other DBAPI errors a dropped connection can surface
    as: ``InterfaceError`` and any error SQLAlchemy flagged as a disconnect
    (``connection_invalidated``). Other database errors stay 500s.
    """
    if isinstance(error, InterfaceError) or error.connection_invalidated:
        return handle_database_down(error)
    return handle_unexpected(error)


def register(app):
    app.register_blueprint(bp)
    app.after_request(set_security_headers)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(DBAPIError, handle_lost_connection)
    app.register_error_handler(Exception, handle_unexpected)
    app.url_defaults(_version_static_urls)
    app.jinja_env.globals["nav_links"] = nav_links
    app.jinja_env.globals["head_links"] = head_links


# (endpoint, label, the endpoint or blueprint prefix it stands for, who sees it)
NAV_LINKS = (
    ("dashboard.home", "Home", "dashboard.home", None),
    ("modules.index", "Modules", "modules.", None),
    ("modules.learning", "My learning", "modules.learning", None),
    ("selfchecks.profile", "Self-check", "selfchecks.", None),
    ("dashboard.drift_dashboard", "Drift", "dashboard.drift", "leader"),
    ("cases.engagement_insights", "Engagement", "cases.engagement_insights", "leader"),
    ("admin.people", "Admin", "admin.", "admin"),
)
# Pages of the modules blueprint that belong to "My learning", not to "Modules".
MY_LEARNING_ENDPOINTS = frozenset({"modules.learning", "modules.new_goal", "modules.edit_goal"})


def nav_links(endpoint, role):
    """The main navigation's links for a person of ``role`` on ``endpoint``'s page."""
    role = str(role)
    items = []
    for target, label, prefix, only_for in NAV_LINKS:
        if only_for is not None and role != only_for:
            continue
        if target == "modules.learning":
            current = endpoint in MY_LEARNING_ENDPOINTS
        else:
            current = endpoint == target or (
                prefix.endswith(".")
                and (endpoint or "").startswith(prefix)
                and endpoint not in MY_LEARNING_ENDPOINTS
            )
        mark = ' aria-current="page"' if current else ""
        items.append(f'<li><a href="{escape(url_for(target))}"{mark}>{escape(label)}</a></li>')
    return Markup("\n".join(items))


def head_links():
    """The layout's stylesheet and icon links, with their static file versions."""

    def static(filename):
        return escape(url_for("static", filename=filename))

    return Markup(
        f'<link rel="stylesheet" href="{static("vendor/pico/pico.min.css")}">\n'
        f'  <link rel="stylesheet" href="{static("app.css")}">\n'
        f'  <link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">'
    )


def _version_static_urls(endpoint, values):
    """Add ?v=<content hash> to static URLs so they can be cached for a year."""
    if endpoint != "static" or "filename" not in values:
        return
    values["v"] = _static_version(current_app.static_folder, values["filename"])


_versions = {}


def _static_version(folder, filename):
    key = (folder, filename)
    if key not in _versions:
        path = Path(folder) / filename
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "0"
        _versions[key] = digest
    return _versions[key]
