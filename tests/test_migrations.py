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


def test_responses_learn_their_reflections_author_when_the_column_arrives(app, world):
    """Does the migration that adds reflection_author_id fill it in for existing responses?"""
    from sqlalchemy import text

    from learning_hub.modules import services as modules
    from tests import factories

    module = next(iter(app.extensions["content"].library))
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    modules.respond(reflection, world.facilitator, "That rings true for our team too.")
    case = factories.create_case(world.north, world.staff)
    case_reflection = factories.create_case_reflection(case, world.staff)
    from learning_hub.cases import services as cases

    cases.respond(case_reflection, world.facilitator, "Thank you for writing this up.")
    db.session.commit()
    author = world.staff.id
    db.session.remove()
    downgrade(revision="bcd80506afd9")
    upgrade()
    with db.engine.connect() as connection:
        for table in ("reflection_responses", "case_responses"):
            authors = connection.execute(text(f"SELECT reflection_author_id FROM {table}")).all()
            assert authors == [(author,)], table
