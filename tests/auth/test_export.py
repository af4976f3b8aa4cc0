"""A person downloads everything they wrote, and nothing anyone else did."""

import json

import pytest

from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from learning_hub.privacy import export
from tests.lifecycle_material import write_everything


@pytest.fixture
def material(app, world):
    return write_everything(app, world)


@pytest.fixture
def download(world, client_for, material):
    client = client_for(world.staff)
    response = client.get("/account/export.json")
    assert response.status_code == 200
    return response


def test_export_is_a_json_attachment_that_is_never_cached(download):
    """Is the export valid JSON, sent as a file to save, with Cache-Control no-store?"""
    assert download.mimetype == "application/json"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert ".json" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    data = json.loads(download.get_data(as_text=True))
    assert data["schema"] == "learning-hub/personal-data"
    assert data["schema_version"] == 1


def test_export_has_a_stable_set_of_sections(download):
    """Are the top-level keys exactly those of schema version 1?"""
    assert list(json.loads(download.get_data(as_text=True))) == [
        "schema",
        "schema_version",
        "exported_at",
        "profile",
        "reflections",
        "learning_goals",
        "self_checks",
        "case_reflections",
        "responses_on_reflections",
        "responses_on_case_reflections",
        "agenda_items_raised",
        "case_notes",
        "actions",
        "module_progress",
    ]


def test_export_holds_each_kind_of_the_persons_material(app, world, material):
    """Does every kind of the person's writing appear, with its details?"""
    data = export.export_personal_data(world.staff)
    assert data["profile"] == {
        "name": "Sam Staff",
        "email": "staff@example.org",
        "role": "staff",
        "created_at": world.staff.created_at.isoformat(),
        "last_login_at": None,
        "teams": [{"name": "North", "role": "member"}],
    }
    reflections = {r["text"]: r for r in data["reflections"]}
    assert reflections["STAFF-PRIVATE reflection"]["shared_with_team"] is None
    shared = reflections["STAFF-SHARED reflection, edited"]
    assert shared["shared_with_team"] == "North"
    assert shared["module"] == material.module.slug and shared["prompt"]
    assert [v["text"] for v in shared["earlier_versions"]] == ["STAFF-SHARED first words"]
    assert [g["description"] for g in data["learning_goals"]] == ["STAFF-GOAL offer two times"]
    submitted, draft = data["self_checks"]
    assert submitted["status"] == "submitted" and draft["status"] == "draft"
    assert submitted["notes"] == {"autonomy": "STAFF-NOTE"}
    assert submitted["answers"] and {a["rating"] for a in submitted["answers"]} == {2}
    assert set(submitted["scores"].values()) == {2.0}
    (case_reflection,) = data["case_reflections"]
    assert case_reflection["case"] == material.case.code
    assert (case_reflection["identify"], case_reflection["analyse"], case_reflection["plan"]) == (
        "STAFF-IDENTIFY",
        "STAFF-ANALYSE",
        "STAFF-PLAN",
    )
    assert case_reflection["feelings"] == ["frustration"]
    assert [r["text"] for r in data["responses_on_reflections"]] == [
        "STAFF-RESPONSE on a colleague's reflection"
    ]
    assert [r["text"] for r in data["responses_on_case_reflections"]] == ["STAFF-CASE-RESPONSE"]
    assert [i["title"] for i in data["agenda_items_raised"]] == ["STAFF-AGENDA-ITEM"]
    assert [n["note"] for n in data["case_notes"]] == ["STAFF-CASE-NOTE rang twice"]
    actions = {a["description"]: a for a in data["actions"]}
    assert set(actions) == {"STAFF-OWNS-ACTION", "STAFF-CREATED-ACTION"}
    assert actions["STAFF-OWNS-ACTION"]["you_own_it"]
    assert actions["STAFF-CREATED-ACTION"]["you_created_it"]
    assert [p["module"] for p in data["module_progress"]] == [material.module.slug]


def test_export_leaves_out_everyone_elses_writing(download):
    """Is no colleague's text in the file, not even what the person responded to?"""
    text = download.get_data(as_text=True)
    assert "STAFF-" in text
    assert "COLLEAGUE" not in text
    assert "Fran" not in text and "facilitator@example.org" not in text


def test_export_of_a_person_with_nothing_written_is_empty_but_complete(app, world):
    """Does someone new get every section, each empty?"""
    data = export.export_personal_data(world.outsider)
    assert data["profile"]["teams"] == [{"name": "South", "role": "member"}]
    assert all(
        data[key] == []
        for key in data
        if key not in {"schema", "schema_version"} and key not in {"exported_at", "profile"}
    )


def test_export_is_audited(world, download):
    """Is the download recorded in the audit log against the person?"""
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "user.data_exported")
    )
    assert entry is not None
    assert (entry.actor_id, entry.object_id) == (world.staff.id, world.staff.id)


def test_account_page_links_to_the_export(world, client_for):
    """Does the account page offer the download?"""
    page = client_for(world.staff).get("/account").get_data(as_text=True)
    assert 'href="/account/export.json"' in page


def test_export_needs_a_log_in(client):
    """Is an anonymous visitor sent to log in?"""
    response = client.get("/account/export.json")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
