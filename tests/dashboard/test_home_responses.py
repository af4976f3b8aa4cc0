"""The home page's "Responses to your reflections": both kinds, in one statement."""

from datetime import UTC, datetime, timedelta

import pytest

from learning_hub.cases import services as cases
from learning_hub.core.extensions import db
from learning_hub.modules import services as modules
from learning_hub.modules.models import Reflection
from tests import factories, querycount


@pytest.fixture
def module(app):
    return app.extensions["content"].library.get("noticing-your-own-reactions")


def test_both_lists_come_newest_first_each_within_its_limit(app, world, module):
    """Are module and case responses to me kept apart, newest first, five of each at most,
    without my own responses, from one statement?"""
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    case = factories.create_case(world.north, world.staff)
    case_reflection = factories.create_case_reflection(case, world.staff)
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for n in range(7):
        on_module = modules.respond(reflection, world.facilitator, f"Module reply {n}")
        on_case = cases.respond(case_reflection, world.facilitator, f"Case reply {n}")
        on_module.created_at = on_case.created_at = start + timedelta(days=n)
    modules.respond(reflection, world.staff, "My own follow-up")
    db.session.commit()

    with querycount.counting(db.engine) as statements:
        on_modules, on_cases = cases.responses_to(world.staff)
    reads = [s for s in statements if "responses" in s]
    assert len(reads) == 1 and "case_responses" in reads[0]
    days = [start + timedelta(days=n) for n in (6, 5, 4, 3, 2)]
    assert [r.created_at for r in on_modules] == days
    assert [r.created_at for r in on_cases] == days
    assert {r.reflection_id for r in on_modules} == {reflection.id}
    assert {(r.case_id, r.case_code) for r in on_cases} == {(case.id, case.code)}
    assert {r.author_name for r in on_modules + on_cases} == {world.facilitator.display_name}


def test_home_links_each_response_to_its_reflection(client_for, world, module):
    """Does the home page link a module response and a case response to where they are?"""
    client = client_for("staff")
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    case = factories.create_case(world.north, world.staff)
    case_reflection = factories.create_case_reflection(case, world.staff)
    mine = modules.respond(reflection, world.facilitator, "Thank you for this.")
    theirs = cases.respond(case_reflection, world.facilitator, "Worth trying texts.")
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert f'href="/reflections/{reflection.id}#response-{mine.id}"' in home
    assert f'href="/cases/{case.id}/reflections/{case_reflection.id}#response-{theirs.id}"' in home
    assert f"to your reflection on case {case.code}" in home


def test_module_statuses_are_read_in_one_statement(app, world, module):
    """Are the library's statuses (answered prompts and reflected dates) one round trip
    over the progress records, and the same as the prompts and progress records say?"""
    for prompt in module.prompts:
        factories.create_reflection(world.staff, module, prompt=prompt)
    other = next(m for m in app.extensions["content"].library if m.slug != module.slug)
    factories.create_reflection(world.staff, other, prompt=other.prompts[0])
    library = app.extensions["content"].library
    with querycount.counting(db.engine) as statements:
        statuses = modules.module_statuses(world.staff, library)
    # One row per module started, read from the progress records, never the reflections
    # (the other statements are the test's own: its transaction, and reloading the person).
    reads = [s for s in statements if "module_progress" in s]
    assert len(reads) == 1 and "FROM module_progress" in reads[0]
    assert not [s for s in statements if "reflections" in s]
    progress = modules.progress_record(world.staff, module)
    assert statuses[module.slug].status == modules.Status.REFLECTED
    assert statuses[module.slug].reflected_at == progress.reflected_at
    assert statuses[other.slug].status == modules.Status.IN_PROGRESS
    assert statuses[other.slug].answered == 1


def test_progress_keeps_the_prompts_answered_through_writes_and_deletes(app, world, module):
    """Does each progress record hold the prompts answered on its module, as reflections are
    written and deleted, and go when the last one does?"""
    library = app.extensions["content"].library
    first, second = module.prompts[0], module.prompts[1]
    factories.create_reflection(world.staff, module, prompt=first)
    factories.create_reflection(world.staff, module, prompt=first)
    two = factories.create_reflection(world.staff, module, prompt=second)
    progress = modules.progress_record(world.staff, module)
    assert progress.answered_prompts == sorted([first.id, second.id])
    modules.delete_reflection(two, library)
    db.session.commit()
    assert modules.progress_record(world.staff, module).answered_prompts == [first.id]
    assert modules.module_statuses(world.staff, library)[module.slug].answered == 1
    for reflection in db.session.scalars(
        db.select(Reflection).where(Reflection.author_id == world.staff.id)
    ):
        modules.delete_reflection(reflection, library)
    db.session.commit()
    assert modules.progress_record(world.staff, module) is None
    assert modules.module_statuses(world.staff, library)[module.slug].answered == 0
