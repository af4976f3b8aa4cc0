"""The logged-in person is the ``User``, with their teams, on every request."""

import pytest
from flask_login import current_user

from learning_hub.core.extensions import db
from tests import querycount


def _who():
    person = current_user._get_current_object()
    teams = sorted(m.team.name for m in person.memberships)
    return f"{type(person).__name__}:{person.id}:{','.join(teams)}"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_request_gets_the_user_with_their_teams_from_one_statement(
    app, client_for, world, method
):
    """Do a GET and a POST both see the ORM User with their teams, loaded in one statement?"""
    client = client_for("staff")
    app.add_url_rule("/_test/who", f"test_who_{method}", _who, methods=[method])
    expected = f"User:{world.staff.id}:{world.north.name}"
    db.session.remove()
    with querycount.counting(db.engine) as statements:
        response = client.open("/_test/who", method=method)
    assert response.get_data(as_text=True) == expected
    # (another statement a request may send asks whether the content was reloaded)
    assert len([s for s in statements if "users" in s]) == 1
    assert not any("memberships" in s for s in statements if "FROM users" not in s)


def test_a_session_of_an_older_version_is_refused(client_for, world):
    """After a log-out everywhere, does a page stop accepting the old cookie?"""
    client = client_for("staff")
    assert client.get("/").status_code == 200
    world.staff.end_sessions()
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_deactivated_person_is_refused(client_for, world):
    """Is a person deactivated since they logged in sent to log in again?"""
    client = client_for("staff")
    assert client.get("/").status_code == 200
    world.staff.is_active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_a_refusal_names_the_person_in_the_security_log(client_for, world, caplog):
    """Does a 404 for another team's page still log who asked?"""
    client = client_for("staff")
    staff_id, south_id = world.staff.id, world.south.id
    db.session.remove()
    with caplog.at_level("INFO", logger="learning_hub.security"):
        assert client.get(f"/teams/{south_id}/cases").status_code == 404
    refusals = [
        r for r in caplog.records if getattr(r, "fields", {}).get("event") == "access.refused"
    ]
    assert refusals and refusals[-1].fields["user_id"] == staff_id
