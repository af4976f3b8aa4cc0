"""The library's module cards are cached per module and progress, and follow progress."""

import re

from tests import factories

SLUG = "noticing-your-own-reactions"


def _card(page, slug):
    html = page.get_data(as_text=True)
    match = re.search(
        rf'<article class="card module-card">\s*<h2><a href="/modules/{slug}">.*?</article>',
        html,
        re.S,
    )
    assert match, f"no card for {slug}"
    return match.group(0)


def test_a_card_follows_the_persons_progress(app, client_for, world):
    """Does the card say "Not started", then how many prompts are answered, after a reflection?"""
    client = client_for("staff")
    assert "Not started" in _card(client.get("/modules"), SLUG)
    module = app.extensions["content"].library.get(SLUG)
    factories.create_reflection(world.staff, module)
    card = _card(client.get("/modules"), SLUG)
    assert f"(1 of {len(module.prompts)} prompts)" in card and "Not started" not in card


def test_a_card_shows_each_person_their_own_progress(app, client_for, world):
    """Do two people see the same card at the same progress, and each their own after one
    of them moves on (a cached card never shows another person's progress)?"""
    staff_client = client_for("staff")
    facilitator_client = client_for("facilitator")
    assert _card(staff_client.get("/modules"), SLUG) == _card(
        facilitator_client.get("/modules"), SLUG
    )
    module = app.extensions["content"].library.get(SLUG)
    factories.create_reflection(world.facilitator, module)
    assert "Not started" in _card(staff_client.get("/modules"), SLUG)
    assert "Not started" not in _card(facilitator_client.get("/modules"), SLUG)
