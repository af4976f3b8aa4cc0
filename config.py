"""Configuration read from the environment.

``APP_ENV`` picks the profile: ``production`` (the default, the safe one),
``development`` (what ``make run`` uses) or ``testing``. Every other setting is
an environment variable of the same name; see README "Configuration".
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
MIN_SECRET_KEY_BYTES = 32


class ConfigError(RuntimeError):
    """The environment describes a configuration the site refuses to run with."""


def _env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def _env_list(name):
    """A comma-separated setting as a list, or None when it is unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def _check_base_url(value):
    """Refuse a BASE_URL that is not an https address of a host alone (no query, no fragment)."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            "BASE_URL must be the site's public https address, like https://hub.example.org "
            f"(links in emails and invitations are built from it), got {value!r}"
        )
    return parts.hostname


def _env_bool(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every profile."""

    ENV_NAME = "base"
    DEBUG = False
    TESTING = False

    SECRET_KEY = os.environ.get("SECRET_KEY")
    # None means: a SQLite file in the instance folder (filled in by create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # PostgreSQL: how long a new connection and a statement may take before the request
    # gives up with the 503 page (a frozen server: the statement timeout and 2 s more).
    DATABASE_CONNECT_TIMEOUT_SECONDS = _env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5)
    DATABASE_STATEMENT_TIMEOUT_MS = _env_int("DATABASE_STATEMENT_TIMEOUT_MS", 10000)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # The store (Redis) unreachable: count in this process's memory, logged once, and
    # check the store again now and then; never wait long on a store that is not there.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;60 per hour")
    LOCKOUT_THRESHOLD = _env_int("LOCKOUT_THRESHOLD", 5)
    LOCKOUT_MINUTES = _env_int("LOCKOUT_MINUTES", 15)

    MIN_GROUP_SIZE = _env_int("MIN_GROUP_SIZE", 3)
    INVITATION_TTL_HOURS = _env_int("INVITATION_TTL_HOURS", 72)
    PASSWORD_RESET_TTL_MINUTES = _env_int("PASSWORD_RESET_TTL_MINUTES", 60)
    # Asking for a reset link: per email address (whoever asks), on top of LOGIN_RATE_LIMIT
    # per client address.
    PASSWORD_RESET_ADDRESS_LIMIT = os.environ.get(
        "PASSWORD_RESET_ADDRESS_LIMIT", "3 per 15 minutes;10 per day"
    )
    # The site's public address: every link that is mailed or shown for copying starts
    # with it, never with the Host header a request names (learning_hub/core/urls.py).
    BASE_URL = os.environ.get("BASE_URL", "")
    # Host names requests may name; others get 400. Production defaults to BASE_URL's host.
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS")
    # How long the link that confirms a new e-mail address works.
    EMAIL_CHANGE_TTL_HOURS = _env_int("EMAIL_CHANGE_TTL_HOURS", 24)
    IDLE_TIMEOUT_MINUTES = _env_int("IDLE_TIMEOUT_MINUTES", 30)
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    # Password, email and role changes ask for the password again after this long.
    REAUTH_MINUTES = _env_int("REAUTH_MINUTES", 10)
    PROXY_FIX_X_FOR = _env_int("PROXY_FIX_X_FOR", 0)
    # Retention periods in days (docs/data-inventory.md; `flask retention` applies them).
    RETENTION_AUDIT_DAYS = _env_int("RETENTION_AUDIT_DAYS", 730)
    RETENTION_LOGIN_AUDIT_DAYS = _env_int("RETENTION_LOGIN_AUDIT_DAYS", 365)
    RETENTION_INVITATION_DAYS_AFTER_EXPIRY = _env_int("RETENTION_INVITATION_DAYS_AFTER_EXPIRY", 30)
    RETENTION_REMINDER_DAYS = _env_int("RETENTION_REMINDER_DAYS", 365)
    RETENTION_CLOSED_CASE_DAYS = _env_int("RETENTION_CLOSED_CASE_DAYS", 3 * 365)
    RETENTION_FORM_SUBMISSION_DAYS = _env_int("RETENTION_FORM_SUBMISSION_DAYS", 7)

    # /healthz says "degraded" when a folder the site writes to has less free space.
    HEALTH_MIN_FREE_MB = _env_int("HEALTH_MIN_FREE_MB", 500)
    # Where backups are written, if on this host: /healthz watches its free space too.
    BACKUP_DIR = os.environ.get("BACKUP_DIR", "")

    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    SESSION_COOKIE_NAME = "learning_hub_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The cookie is written when the session changes (its idle clock moves after 30 s
    # of activity, auth/sessions.py), not signed afresh on every request.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = 0
    MAX_CONTENT_LENGTH = 1024 * 1024
    SEND_FILE_MAX_AGE_DEFAULT = 60 * 60 * 24 * 365  # static URLs carry a version
    # A signed form token works for an hour after its page was read; an older form is
    # answered with a page asking to reload it and send it again (site.handle_csrf_error).
    WTF_CSRF_TIME_LIMIT = _env_int("WTF_CSRF_TIME_LIMIT", 3600)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Learning Hub <no-reply@localhost>")

    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "content"))
    REVISIT_AFTER_DAYS = _env_int("REVISIT_AFTER_DAYS", 120)
    DRIFT_THRESHOLD = float(os.environ.get("DRIFT_THRESHOLD", "0.4"))
    DRIFT_LAMBDA = float(os.environ.get("DRIFT_LAMBDA", "0.3"))
    QUIET_AFTER_DAYS = _env_int("QUIET_AFTER_DAYS", 60)
    # One cache (Flask-Caching, docs/performance.md): per process by default; "RedisCache"
    # with CACHE_REDIS_URL shares it between hosts. Keys hold the versions of the data,
    # so nothing is invalidated; the timeout is how old a leader's aggregate may be.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    CACHE_DEFAULT_TIMEOUT = _env_int("CACHE_DEFAULT_TIMEOUT", 60)
    CACHE_KEY_PREFIX = "learning_hub:"
    CACHE_THRESHOLD = 5000  # entries a SimpleCache holds before it drops some
    SPELL_MIN_DAYS = _env_int("SPELL_MIN_DAYS", 21)
    SPELL_MIN_ATTEMPTS = _env_int("SPELL_MIN_ATTEMPTS", 2)

    @classmethod
    def check(cls, app):
        """Refuse settings that are unsafe for this profile."""


class DevelopmentConfig(Config):
    """Local use: a secret generated once into the instance folder, plain HTTP."""

    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    BASE_URL = os.environ.get("BASE_URL") or "http://127.0.0.1:5000"


class TestingConfig(Config):
    """pytest: in-process, fast hashing, CSRF and rate limits on per test."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-of-at-least-thirty-two-bytes"
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    BASE_URL = "http://localhost"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    CACHE_TYPE = "SimpleCache"  # on, as in production, so a stale page fails a test
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    ARGON2_FAST = True


class ProductionConfig(Config):
    """Behind gunicorn: refuses to start without a real secret or with debug on."""

    ENV_NAME = "production"

    @classmethod
    def check(cls, app):
        key = app.config.get("SECRET_KEY") or ""
        if len(key.encode()) < MIN_SECRET_KEY_BYTES:
            raise ConfigError(
                "SECRET_KEY must be set to at least 32 bytes in production "
                "(for a local run use APP_ENV=development, as `make run` does)"
            )
        if app.debug or _env_bool("FLASK_DEBUG", False):
            raise ConfigError("DEBUG must be off in production")
        if not app.config.get("BASE_URL"):
            raise ConfigError(
                "BASE_URL must be set in production to the site's public address, like "
                "https://hub.example.org (links in emails and invitations are built from it)"
            )
        host = _check_base_url(app.config["BASE_URL"])
        if not app.config.get("TRUSTED_HOSTS"):
            # A request naming any other host is refused (400) before a view runs.
            app.config["TRUSTED_HOSTS"] = [host]


PROFILES = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def profile_from_env():
    """The config class named by APP_ENV (production when unset)."""
    name = os.environ.get("APP_ENV", "production").strip().lower()
    try:
        return PROFILES[name]
    except KeyError as exc:
        raise ConfigError(f"APP_ENV must be one of {', '.join(PROFILES)}, got {name!r}") from exc


def development_secret(instance_path):
    """Read, or create once, the development secret key in the instance folder."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
