"""Links that are mailed or shown for copying start with BASE_URL, whatever Host a request
names; production refuses to start without BASE_URL and refuses other hosts."""

import re

import pytest

from config import ConfigError
from learning_hub import create_app
from learning_hub.core.extensions import db
from tests import factories

EVIL = {"Host": "evil.example"}


def cookie_for_evil_host(client):
    """Give the logged-in ``client``'s session cookie to evil.example too (a forged Host
    reaching the same server), so its requests there are still logged in."""
    cookie = client.get_cookie("learning_hub_session")
    client.set_cookie("learning_hub_session", cookie.value, domain="evil.example")
    return client


def test_invitation_link_shown_to_the_admin_uses_base_url(client_for, world):
    """Is the invitation link an admin copies built on BASE_URL, not a forged Host?"""
    client = client_for("admin")
    invited = factories.create_user(password=None, email="new@example.org")
    cookie_for_evil_host(client)
    response = client.post(f"/admin/people/{invited.id}/invitation", headers=EVIL)
    page = client.get(response.headers["Location"], headers=EVIL).get_data(as_text=True)
    assert re.search(r"http://localhost/invitation/[\w-]+", page)
    assert "evil.example" not in page


def test_calendar_feed_addresses_use_base_url(world, client_for):
    """Are the personal and team calendar feed addresses built on BASE_URL?"""
    client = cookie_for_evil_host(client_for(world.staff))
    account = client.get("/account", headers=EVIL).get_data(as_text=True)
    assert re.search(r"http://localhost/calendar/me/[\w-]+\.ics", account)
    team = client.get(f"/teams/{world.north.id}/sessions", headers=EVIL).get_data(as_text=True)
    assert re.search(r"http://localhost/calendar/team/[\w-]+\.ics", team)
    assert "evil.example" not in account + team


def test_base_url_may_carry_a_path(app):
    """Does a BASE_URL under a path prefix give links under that prefix?"""
    from learning_hub.core.urls import external_url

    app.config["BASE_URL"] = "https://hub.example.org/learning/"
    assert external_url("auth.login") == "https://hub.example.org/learning/login"


def production_app(tmp_path, **settings):
    uri = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    # TESTING keeps the root logger as pytest set it (learning_hub.core.logs.configure).
    return create_app(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "p" * 40,
            "SQLALCHEMY_DATABASE_URI": uri,
            "TESTING": True,
            **settings,
        }
    )


@pytest.mark.parametrize(
    "base_url", ["", "http://hub.example.org", "hub.example.org", "https://hub.example.org/?x=1"]
)
def test_production_refuses_to_start_without_an_https_base_url(tmp_path, base_url):
    """Does production refuse a missing, plain-http or malformed BASE_URL with a clear message?"""
    with pytest.raises(ConfigError, match="BASE_URL must"):
        production_app(tmp_path, BASE_URL=base_url)


def test_production_refuses_a_forged_host(tmp_path):
    """In production, is a request naming a host other than BASE_URL's a 400?"""
    app = production_app(tmp_path, BASE_URL="https://hub.example.org")
    assert app.config["TRUSTED_HOSTS"] == ["hub.example.org"]
    client = app.test_client()
    assert client.get("/healthz", base_url="https://hub.example.org").status_code == 200
    assert client.get("/healthz", base_url="https://evil.example").status_code == 400
    with app.app_context():
        db.engine.dispose()


def test_trusted_hosts_setting_adds_internal_names(tmp_path):
    """Can TRUSTED_HOSTS name further hosts (a health check's), replacing the default?"""
    app = production_app(
        tmp_path, BASE_URL="https://hub.example.org", TRUSTED_HOSTS=["hub.example.org", "localhost"]
    )
    client = app.test_client()
    assert client.get("/healthz", base_url="http://localhost").status_code == 200
    assert client.get("/healthz", base_url="https://evil.example").status_code == 400
    with app.app_context():
        db.engine.dispose()
