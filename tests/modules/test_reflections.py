"""Reflections: writing, privacy, sharing, responses, history, deletion and bad input."""

import pytest

from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection, ReflectionResponse
from tests import factories


@pytest.fixture
def module(app):
    return app.extensions["content"].library.get("noticing-your-own-reactions")


def reflect(client, module, prompt_index=0, body="I felt relief and slowed down.", share=0):
    prompt = module.prompts[prompt_index]
    return client.post(
        f"/modules/{module.slug}/prompts/{prompt.id}",
        data={f"{prompt.id}-body": body, f"{prompt.id}-share_team_id": share},
    )


def only_reflection():
    return db.session.scalars(db.select(Reflection)).one()


def test_module_page_shows_text_and_prompts(client_for, module):
    """Does the module page show the rendered text and a form for each prompt?"""
    client = client_for("staff")
    page = client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "<h2>" in page and module.title in page
    for prompt in module.prompts:
        assert f'id="prompt-{prompt.id}"' in page
    assert page.count('name="') >= len(module.prompts) * 2


def test_reflection_is_private_by_default(client_for, world, module):
    """Is a new reflection readable by its author only?"""
    client = client_for("staff")
    assert reflect(client, module).status_code == 302
    reflection = only_reflection()
    assert reflection.shared_team_id is None
    assert reflection.module_version == module.version
    assert client.get(f"/reflections/{reflection.id}").status_code == 200
    for viewer in (world.facilitator, world.outsider, world.leader, world.admin):
        assert client_for(viewer).get(f"/reflections/{reflection.id}").status_code == 404
    team_page = client_for(world.facilitator).get(f"/teams/{world.north.id}/reflections")
    assert b"I felt relief" not in team_page.data


def test_shared_reflection_reaches_teammates_not_outsiders(client_for, world, module):
    """Does sharing with North show it to North, and still not to South or a leader?"""
    client = client_for("staff")
    reflect(client, module, share=world.north.id)
    reflection = only_reflection()
    facilitator = client_for(world.facilitator)
    assert b"I felt relief" in facilitator.get(f"/teams/{world.north.id}/reflections").data
    assert facilitator.get(f"/reflections/{reflection.id}").status_code == 200
    outsider = client_for(world.outsider)
    assert outsider.get(f"/reflections/{reflection.id}").status_code == 404
    assert outsider.get(f"/teams/{world.north.id}/reflections").status_code == 404
    assert b"I felt relief" not in outsider.get(f"/teams/{world.south.id}/reflections").data
    assert client_for(world.leader).get(f"/reflections/{reflection.id}").status_code == 404


def test_teammate_responds_and_author_sees_it(client_for, world, module):
    """Can a teammate respond, and does the author see it on their home page?"""
    client = client_for("staff")
    reflect(client, module, share=world.north.id)
    reflection = only_reflection()
    facilitator = client_for(world.facilitator)
    response = facilitator.post(
        f"/reflections/{reflection.id}/responses",
        data={"body": "Thank you for saying this out loud."},
    )
    assert response.status_code == 302
    assert (
        b"Thank you for saying this out loud." in client.get(f"/reflections/{reflection.id}").data
    )
    home = client.get("/").get_data(as_text=True)
    assert "Fran Facilitator" in home and "responded" in home
    db.session.refresh(reflection)
    assert reflection.response_count == 1


def test_nobody_responds_to_a_private_reflection(client_for, world, module):
    """Is a response to a private reflection refused, even by its author?"""
    client = client_for("staff")
    reflect(client, module)
    reflection = only_reflection()
    assert (
        client.post(
            f"/reflections/{reflection.id}/responses", data={"body": "Talking to myself"}
        ).status_code
        == 403
    )
    assert (
        client_for(world.facilitator)
        .post(f"/reflections/{reflection.id}/responses", data={"body": "Hello"})
        .status_code
        == 404
    )
    assert db.session.scalar(db.select(db.func.count(ReflectionResponse.id))) == 0


def test_sharing_with_a_team_the_author_is_not_in_is_refused(client_for, world, module):
    """Is sharing with South refused for a member of North only, keeping the text?"""
    client = client_for("staff")
    response = reflect(client, module, body="Keep this text", share=world.south.id)
    assert response.status_code == 400
    assert b"You can only share with a team you belong to" in response.data
    assert b"Keep this text" in response.data
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0
    reflection = factories.create_reflection(world.staff, module)
    response = client.post(
        f"/reflections/{reflection.id}/sharing", data={"share_team_id": world.south.id}
    )
    assert response.status_code == 400
    db.session.refresh(reflection)
    assert reflection.shared_team_id is None


def test_share_and_unshare(client_for, world, module):
    """Can the author share a private reflection and later make it private again?"""
    client = client_for("staff")
    reflection = factories.create_reflection(world.staff, module)
    client.post(f"/reflections/{reflection.id}/sharing", data={"share_team_id": world.north.id})
    assert client_for(world.facilitator).get(f"/reflections/{reflection.id}").status_code == 200
    client.post(f"/reflections/{reflection.id}/sharing", data={"share_team_id": 0})
    assert client_for(world.facilitator).get(f"/reflections/{reflection.id}").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your reflection before saving"),
        ("   \n  ", "Write your reflection before saving"),
        ("x" * 20_001, "up to 20,000 characters; this one has 20,001"),
    ],
)
def test_empty_or_overlong_reflection_is_refused_and_kept(client_for, module, body, message):
    """Are empty and over-long reflections refused with a clear message and the text kept?"""
    client = client_for("staff")
    response = reflect(client, module, body=body)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "There is a problem" in page
    if body.strip():
        assert body in page
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0


def test_reflection_of_exactly_the_limit_is_accepted(client_for, module):
    """Is a 20,000-character reflection accepted?"""
    client = client_for("staff")
    assert reflect(client, module, body="y" * 20_000).status_code == 302


def test_unknown_module_or_prompt_is_404(client_for, module):
    """Does a reflection on an unknown module or prompt answer 404?"""
    client = client_for("staff")
    assert (
        client.post("/modules/no-such-module/prompts/first", data={"body": "x"}).status_code == 404
    )
    assert (
        client.post(
            f"/modules/{module.slug}/prompts/no-such-prompt", data={"body": "x"}
        ).status_code
        == 404
    )
    assert client.get("/modules/no-such-module").status_code == 404


def test_hostile_markdown_is_rendered_inert(client_for, world, module):
    """Is a script in a reflection shown as nothing executable to teammates?"""
    client = client_for("staff")
    reflect(
        client,
        module,
        share=world.north.id,
        body="<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    reflection = only_reflection()
    page = client_for(world.facilitator).get(f"/reflections/{reflection.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(3)&gt;" in page


def test_edit_keeps_history(client_for, world, module):
    """Does editing keep the earlier text in the reflection's history?"""
    client = client_for("staff")
    reflection = factories.create_reflection(world.staff, module, body="First thoughts.")
    response = client.post(f"/reflections/{reflection.id}/edit", data={"body": "Second thoughts."})
    assert response.status_code == 302
    db.session.refresh(reflection)
    assert reflection.body == "Second thoughts."
    assert [r.body for r in reflection.revisions] == ["First thoughts."]
    page = client.get(f"/reflections/{reflection.id}").get_data(as_text=True)
    assert "Earlier versions of this text (1)" in page and "First thoughts." in page


def test_teammate_sees_no_history(client_for, world, module):
    """Does a teammate see the current text but not the author's earlier drafts?"""
    client = client_for("staff")
    reflection = factories.create_reflection(
        world.staff, module, body="Draft I regret.", share_team=world.north
    )
    client.post(f"/reflections/{reflection.id}/edit", data={"body": "Considered text."})
    page = client_for(world.facilitator).get(f"/reflections/{reflection.id}").get_data(as_text=True)
    assert "Considered text." in page and "Draft I regret." not in page


def test_only_the_author_edits_or_deletes(world, client_for, module):
    """Is a teammate refused (403) when editing or deleting a shared reflection?"""
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    facilitator = client_for(world.facilitator)
    assert (
        facilitator.post(f"/reflections/{reflection.id}/edit", data={"body": "hijack"}).status_code
        == 403
    )
    assert facilitator.post(f"/reflections/{reflection.id}/delete").status_code == 403
    db.session.refresh(reflection)
    assert reflection.body != "hijack"


def test_edit_refuses_empty_text_and_keeps_the_old(client_for, world, module):
    """Is an edit to empty text refused with the stored text untouched?"""
    client = client_for("staff")
    reflection = factories.create_reflection(world.staff, module, body="Keep me.")
    response = client.post(f"/reflections/{reflection.id}/edit", data={"body": " "})
    assert response.status_code == 400
    db.session.refresh(reflection)
    assert reflection.body == "Keep me."


def test_delete_removes_reflection_history_and_responses(client_for, world, module):
    """Does deleting remove the reflection along with its responses and history?"""
    client = client_for("staff")
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    client_for(world.facilitator).post(
        f"/reflections/{reflection.id}/responses", data={"body": "A response"}
    )
    client.post(f"/reflections/{reflection.id}/edit", data={"body": "Edited"})
    assert client.post(f"/reflections/{reflection.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Reflection.id))) == 0
    assert db.session.scalar(db.select(db.func.count(ReflectionResponse.id))) == 0


def test_team_page_is_paginated(world, client_for, module):
    """Is the shared-reflections page split into pages of 20?"""
    for n in range(23):
        factories.create_reflection(
            world.staff, module, body=f"Shared note {n}", share_team=world.north
        )
    client = client_for(world.facilitator)
    first = client.get(f"/teams/{world.north.id}/reflections").get_data(as_text=True)
    assert first.count('class="card shared-reflection"') == 20
    assert "Page 1 of 2" in first
    second = client.get(f"/teams/{world.north.id}/reflections?page=2").get_data(as_text=True)
    assert second.count('class="card shared-reflection"') == 3
