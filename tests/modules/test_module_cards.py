"""The library's module cards are built once per module and status, and follow progress."""

import re

import pytest

from learning_hub.modules import routes
from tests import factories

SLUG = "noticing-your-own-reactions"


@pytest.fixture(autouse=True)
def empty_cards():
    routes._kept_card.cache_clear()
    yield
    routes._kept_card.cache_clear()


def _card(page, slug):
    html = page.get_data(as_text=True)
    match = re.search(
        rf'<article class="card module-card">\s*<h2><a href="/modules/{slug}">.*?</article>',
        html,
        re.S,
    )
    assert match, f"no card for {slug}"
    return match.group(0)


def test_a_card_follows_the_persons_progress(app, staff_client, world):
    """Does the card say "Not started", then how many prompts are answered, after a reflection?"""
    assert "Not started" in _card(staff_client.get("/modules"), SLUG)
    module = app.extensions["content"].library.get(SLUG)
    factories.create_reflection(world.staff, module)
    card = _card(staff_client.get("/modules"), SLUG)
    assert f"(1 of {len(module.prompts)} prompts)" in card and "Not started" not in card


def test_people_at_the_same_progress_share_one_built_card(staff_client, facilitator_client, app):
    first = staff_client.get("/modules")
    built = routes._kept_card.cache_info().currsize
    assert built == len(app.extensions["content"].library)
    second = facilitator_client.get("/modules")
    assert routes._kept_card.cache_info().currsize == built
    assert _card(first, SLUG) == _card(second, SLUG)


def test_a_kept_card_is_what_the_template_writes(staff_client, app):
    """Is a kept card exactly the macro's own output for that module and status?"""
    page = staff_client.get("/modules")
    module = app.extensions["content"].library.get(SLUG)
    with app.test_request_context("/modules"):
        from learning_hub.modules.services import Status

        fresh = routes._render_card(module, Status.NOT_STARTED, 0, len(module.prompts))
    assert _card(page, SLUG) == str(fresh).strip()
