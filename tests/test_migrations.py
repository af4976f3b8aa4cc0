"""Migrations build the schema, and the models never disagree with them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from learning_hub.extensions import db


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_models_match_migrations(app):
    """Does the schema the migrations built equal the models?"""
    assert schema_differences() == []


def test_migrations_go_down_and_up_again(app):
    """Can every migration be undone and redone?"""
    downgrade(revision="base")
    with db.engine.connect() as connection:
        tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert schema_differences() == []


def test_single_head(app):
    """Is there exactly one migration head?"""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
