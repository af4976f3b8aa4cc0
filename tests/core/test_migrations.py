"""Migrations build the schema, and the models never disagree with them."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from learning_hub.core.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_app

pytestmark = pytest.mark.real_commits

ON_POSTGRES = bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgresql")


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


def test_progress_learns_the_prompts_answered_when_the_column_arrives(app, world):
    """Does the migration that adds module_progress.answered_prompts fill it in from the
    reflections already written?"""
    from learning_hub.modules.models import ModuleProgress
    from tests import factories

    module = next(iter(app.extensions["content"].library))
    for prompt in reversed(module.prompts[:2]):
        factories.create_reflection(world.staff, module, prompt=prompt)
    factories.create_reflection(world.staff, module, prompt=module.prompts[0])
    db.session.remove()
    downgrade(revision="786d65f27403")
    upgrade()
    record = db.session.scalar(db.select(ModuleProgress))
    assert record.answered_prompts == sorted(p.id for p in module.prompts[:2])


def revisions(app):
    """Every revision, head first, each with the revision it comes down to."""
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    return list(ScriptDirectory.from_config(config).walk_revisions())


def current_revision():
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def user_tables():
    with db.engine.connect() as connection:
        return set(db.inspect(connection).get_table_names()) - {"alembic_version"}


@pytest.fixture
def empty_database(tmp_path):
    """A database with nothing in it: a new SQLite file, or a scratch PostgreSQL database."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"{sa.engine.make_url(TEST_DATABASE_URL).database}_empty_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.engine.make_url(TEST_DATABASE_URL).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_an_empty_database_goes_up_down_and_up_again(app, empty_database):
    """From nothing, do the migrations reach head, come back to nothing, and reach head again?"""
    fresh = make_app(empty_database)
    with fresh.app_context():
        try:
            assert user_tables() == set()
            upgrade()
            assert current_revision() == revisions(fresh)[0].revision
            assert schema_differences() == []
            downgrade(revision="base")
            assert user_tables() == set()
            assert current_revision() is None
            upgrade()
            assert schema_differences() == []
        finally:
            db.session.remove()
            db.engine.dispose()


def test_each_revision_steps_down_and_up_again(app):
    """Can every revision be undone and redone on its own, one step at a time, head to base?"""
    steps = revisions(app)
    assert steps[-1].down_revision is None
    for script in steps:
        below = script.down_revision or "base"
        downgrade(revision=below)
        assert current_revision() == script.down_revision, script.revision
        upgrade(revision=script.revision)
        assert current_revision() == script.revision
        downgrade(revision=below)
    assert user_tables() == set()
    upgrade()
    assert current_revision() == steps[0].revision
    assert schema_differences() == []


def test_the_revisions_form_one_line(app):
    """Does each revision come down to the next one, with no branches or merges?"""
    steps = revisions(app)
    for upper, lower in zip(steps, steps[1:], strict=False):
        assert upper.down_revision == lower.revision
