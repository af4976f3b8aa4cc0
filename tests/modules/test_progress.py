"""Progress by depth, revisit suggestions and module versions."""

import dataclasses
from datetime import timedelta

import pytest

from learning_hub.content import Library
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.modules import services
from learning_hub.modules.models import ModuleProgress
from learning_hub.modules.services import Status
from tests import factories


@pytest.fixture
def library(app):
    return app.extensions["content"].library


def answer_all(user, module, **fields):
    return [
        factories.create_reflection(user, module, prompt, **fields) for prompt in module.prompts
    ]


def test_opening_a_module_is_not_progress(client_for, world, library):
    """Does viewing a module leave its status 'not started'?"""
    client = client_for("staff")
    module = next(iter(library))
    client.get(f"/modules/{module.slug}")
    assert services.module_statuses(world.staff, library)[module.slug].status == Status.NOT_STARTED


def test_status_moves_from_in_progress_to_reflected(world, library):
    """Is a module in progress after one answer and reflected only when all are answered?"""
    module = library.get("identify-analyse-plan")
    factories.create_reflection(world.staff, module, module.prompts[0])
    state = services.module_statuses(world.staff, library)[module.slug]
    assert (state.status, state.answered, state.total) == (
        Status.IN_PROGRESS,
        1,
        len(module.prompts),
    )
    for prompt in module.prompts[1:]:
        factories.create_reflection(world.staff, module, prompt)
    assert services.module_statuses(world.staff, library)[module.slug].status == Status.REFLECTED


def test_library_page_shows_own_status_and_filters(client_for, world, library):
    """Does the library show the viewer's status and filter by principle and words?"""
    client = client_for("staff")
    module = library.get("identify-analyse-plan")
    factories.create_reflection(world.staff, module)
    page = client.get("/modules").get_data(as_text=True)
    assert "In progress (1 of" in page and "Not started" in page
    filtered = client.get("/modules?principle=lived-expertise").get_data(as_text=True)
    assert "Respecting lived expertise" in filtered
    assert "Identify, analyse, plan" not in filtered
    searched = client.get("/modules?q=missed+appointments").get_data(as_text=True)
    assert "When appointments are missed" in searched
    assert "Learning never stops" not in searched
    assert "Revisit" not in client.get("/modules?principle=bogus").get_data(as_text=True)


def test_old_reflection_is_suggested_for_a_revisit(world, library, app):
    """Is a module reflected on more than REVISIT_AFTER_DAYS ago suggested again?"""
    module = library.get("what-non-attendance-communicates")
    answer_all(world.staff, module)
    progress = db.session.scalars(db.select(ModuleProgress)).one()
    days = app.config["REVISIT_AFTER_DAYS"]
    progress.reflected_at = utcnow() - timedelta(days=days - 1)
    db.session.commit()
    assert services.revisit_suggestions(world.staff, library) == []
    progress.reflected_at = utcnow() - timedelta(days=days + 1)
    db.session.commit()
    [suggestion] = services.revisit_suggestions(world.staff, library)
    assert suggestion.module.slug == module.slug and "months ago" in suggestion.reason
    assert services.module_statuses(world.staff, library)[module.slug].status == Status.REVISIT


def test_writing_again_ends_the_revisit_suggestion(world, library):
    """Does a new reflection on a module due a revisit clear the suggestion?"""
    module = library.get("what-non-attendance-communicates")
    answer_all(world.staff, module)
    progress = db.session.scalars(db.select(ModuleProgress)).one()
    progress.reflected_at = utcnow() - timedelta(days=400)
    db.session.commit()
    factories.create_reflection(world.staff, module)
    assert services.revisit_suggestions(world.staff, library) == []


def test_drift_suggestions_come_first_with_their_reason(world, library):
    """Is a module whose principle drifted in the person's own scores suggested first?"""
    old = library.get("what-non-attendance-communicates")  # responsive-contact
    recent = library.get("designing-for-autonomy")  # autonomy
    answer_all(world.staff, old)
    answer_all(world.staff, recent)
    for progress in db.session.scalars(db.select(ModuleProgress)):
        if progress.module_slug == old.slug:
            progress.reflected_at = utcnow() - timedelta(days=300)
    db.session.commit()
    suggestions = services.revisit_suggestions(
        world.staff, library, drifting_principles={"autonomy"}
    )
    assert [s.module.slug for s in suggestions] == [recent.slug, old.slug]
    assert suggestions[0].is_drift and "autonomy slipping" in suggestions[0].reason


def test_version_change_keeps_reflections_on_their_version(client_for, world, library, app):
    """After a module's version changes, do earlier reflections stay with the old version?"""
    client = client_for("staff")
    module = library.get("designing-for-autonomy")
    factories.create_reflection(world.staff, module, body="Written against version one.")
    changed = dataclasses.replace(module, version=module.version + 1)
    app.extensions["content"].library = Library({**library.modules, module.slug: changed})
    page = client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "Your reflections on earlier versions" in page
    assert f"Version {module.version}:" in page and "Written against version one." in page
    reflection = services.my_reflections_on(world.staff, changed)[0][0]
    assert reflection.module_version == module.version


def test_my_learning_is_private(client_for, world):
    """Does My learning show only the viewer's own goals and reflections?"""
    client = client_for("staff")
    factories.create_goal(world.staff, description="Ask before I assume.")
    assert b"Ask before I assume." in client.get("/learning").data
    assert b"Ask before I assume." not in client_for(world.facilitator).get("/learning").data


def test_the_module_page_shows_the_latest_three_per_question_and_links_to_the_rest(
    client_for, world, library
):
    """With five reflections on one question, does the page show the latest three and a link?"""
    client = client_for("staff")
    module = library.get("designing-for-autonomy")
    for n in range(5):
        factories.create_reflection(world.staff, module, body=f"Attempt number {n} at this.")
    page = client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "Attempt number 4" in page and "Attempt number 2" in page
    assert "Attempt number 1" not in page and "Attempt number 0" not in page
    assert "Your latest three of 5 reflections on this question" in page
    everything = client.get(f"/learning?module={module.slug}").get_data(as_text=True)
    assert all(f"Attempt number {n}" in everything for n in range(5))
    assert f"on {module.title}" in everything
