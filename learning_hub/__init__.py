"""Learning Hub: a reflective learning community for human-services teams."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from learning_hub import content
from learning_hub.core import forms, inputs, logs, markdown, pagination, site, submissions
from learning_hub.core.database import (
    bound_answer_waits,
    configure_sqlite,
    end_transaction,
    ping_idle_connections,
    postgresql_engine_options,
    sqlite_engine_options,
)
from learning_hub.core.extensions import cache, csrf, db, limiter, login_manager, migrate
from learning_hub.dashboard import participation  # noqa: F401 (its session hooks)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config=None):
    """Build the application.

    ``config`` is a config class or a dict of overrides on top of the profile
    named by APP_ENV (tests pass ``{"APP_ENV": "testing", ...}``-style dicts).
    """
    app = Flask(__name__, instance_relative_config=True)
    overrides = {}
    if isinstance(config, dict):
        overrides = dict(config)
        profile = config_module.PROFILES[overrides.pop("APP_ENV", None) or "testing"]
    else:
        profile = config or config_module.profile_from_env()
    app.config.from_object(profile)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY") and profile is config_module.DevelopmentConfig:
        app.config["SECRET_KEY"] = config_module.development_secret(app.instance_path)
    profile.check(app)
    logs.configure(app)
    _configure_database(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        elif db.engine.dialect.name == "postgresql":
            ping_idle_connections(db.engine, app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"])
            bound_answer_waits(db.engine, app.config["DATABASE_STATEMENT_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    cache.init_app(app)  # and its {% cache %} tag for templates
    app.request_class = inputs.Request
    app.before_request(inputs.refuse_unreadable_input)  # before the CSRF check reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.extensions["content"] = content.ContentState(app.config["CONTENT_DIR"])
    _register_blueprints(app)
    site.register(app)
    submissions.register(app)
    app.before_request(pagination.refuse_impossible_pages)
    app.before_request(inputs.refuse_null_characters)
    app.after_request(end_transaction)  # the one place a request's transaction ends
    app.add_template_filter(markdown.render, "markdown")
    app.add_template_filter(markdown.stored, "stored_html")
    app.add_template_filter(forms.fields_key, "fields_key")

    from learning_hub import cli

    cli.register(app)
    return app


def _configure_database(app):
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = f"sqlite:///{Path(app.instance_path) / 'learning_hub.sqlite3'}"
        app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("postgres://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgres://")
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # Database errors name the statement but never the values sent (case notes, emails):
    # their messages reach the server log with a 500's traceback.
    options.setdefault("hide_parameters", True)
    if uri.startswith("sqlite"):
        options.update(sqlite_engine_options(uri))
    elif uri.startswith("postgresql"):
        options.update(
            postgresql_engine_options(
                app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"],
                app.config["DATABASE_STATEMENT_TIMEOUT_MS"],
            )
        )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _register_blueprints(app):
    from learning_hub.account.routes import bp as account_bp
    from learning_hub.admin.routes import bp as admin_bp
    from learning_hub.auth import sessions
    from learning_hub.auth.routes import bp as auth_bp
    from learning_hub.cases.routes import bp as cases_bp
    from learning_hub.dashboard.routes import bp as dashboard_bp
    from learning_hub.modules.routes import bp as modules_bp
    from learning_hub.reviews.routes import bp as reviews_bp
    from learning_hub.selfchecks.routes import bp as selfchecks_bp

    app.before_request(sessions.enforce_session_limits)
    app.before_request(content.sync_with_other_processes)
    for blueprint in (
        auth_bp,
        account_bp,
        admin_bp,
        modules_bp,
        selfchecks_bp,
        cases_bp,
        reviews_bp,
        dashboard_bp,
    ):
        app.register_blueprint(blueprint)
