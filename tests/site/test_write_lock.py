"""On SQLite a writing request holds the write lock for its own work, not to load the person."""

import pytest

from learning_hub.extensions import db
from tests import querycount
from tests.conftest import TEST_DATABASE_URL


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's BEGIN IMMEDIATE is what is tested")
def test_a_post_loads_the_person_in_a_read_transaction_then_takes_the_lock(staff_client, app):
    """Is the person read under a plain BEGIN, and the reflection written under BEGIN IMMEDIATE?"""
    module = app.extensions["content"].library.get("noticing-your-own-reactions")
    prompt = module.prompts[0]
    with querycount.counting(db.engine) as statements:
        response = staff_client.post(
            f"/modules/{module.slug}/prompts/{prompt.id}",
            data={f"{prompt.id}-body": "Noticed my hurry.", f"{prompt.id}-share_team_id": "0"},
        )
    assert response.status_code == 302
    kinds = [s.split()[0].upper() + (" IMMEDIATE" if "IMMEDIATE" in s else "") for s in statements]
    first_write = kinds.index("BEGIN IMMEDIATE")
    assert kinds[0] == "BEGIN" and "FROM users" in statements[1] and first_write > 1
    assert "INSERT" in kinds[first_write:] and "INSERT" not in kinds[:first_write]


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's BEGIN IMMEDIATE is what is tested")
def test_a_get_never_takes_the_lock(staff_client):
    """Does a page that only reads send no BEGIN at all, so it never takes the lock?"""
    with querycount.counting(db.engine) as statements:
        assert staff_client.get("/modules").status_code == 200
    assert statements and statements[0].upper().startswith("SELECT")
    assert not any(s.split()[0].upper() in ("BEGIN", "COMMIT") for s in statements)
