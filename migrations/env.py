"""Alembic environment for Flask-Migrate with Flask-SQLAlchemy 3 (batch mode for SQLite)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from learning_hub.core.database import slow_statements_allowed

config = context.config
if config.config_file_name and not current_app.testing:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # No empty migration files when autogenerate finds nothing to do.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a SQLite table by copying it and dropping the old one;
            # with foreign keys on, that DROP deletes the rows first and cascades to
            # every table that references it (dropping users.erased_at would empty
            # reflections). Keys are off while migrating and checked afterwards.
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with slow_statements_allowed(connection):
                context.configure(
                    connection=connection, target_metadata=target_db.metadata, **conf_args
                )
                with context.begin_transaction():
                    context.run_migrations()
        finally:
            if sqlite:
                broken = raw.execute("PRAGMA foreign_key_check").fetchall()
                raw.execute("PRAGMA foreign_keys=ON")
                if broken:
                    raise RuntimeError(f"migrations left rows with broken references: {broken}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
