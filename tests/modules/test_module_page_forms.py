"""The module page's reflection forms offer the person's own teams to share with."""

import pytest


@pytest.fixture
def module(app):
    return app.extensions["content"].library.get("noticing-your-own-reactions")


def test_each_reflection_form_offers_exactly_the_persons_teams(world, client_for, module):
    """Does every prompt's form offer private first, then each of the person's teams only?"""
    html = client_for(world.staff).get(f"/modules/{module.slug}").get_data(as_text=True)
    for prompt in module.prompts:
        select = html[html.index(f'name="{prompt.id}-share_team_id"') :]
        select = select[: select.index("</select>")]
        assert '<option selected value="0">Only me (private)</option>' in select
        assert f'<option value="{world.north.id}">Share with {world.north.name}</option>' in select
        assert f"Share with {world.south.name}" not in select
