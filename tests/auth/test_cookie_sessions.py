"""A session cookie is checked in full once; the same cookie again is answered from that."""

from datetime import timedelta

import pytest

from learning_hub.auth.sessions import CookieSessions


@pytest.fixture
def loads(app, monkeypatch):
    """Counts the full checks (signature, timestamp, JSON) of session cookies."""
    calls = []
    serializer = app.session_interface.get_signing_serializer(app)
    original = serializer.loads

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(serializer, "loads", counted)
    app.session_interface._opened.clear()
    return calls


def _cookie(client, app):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def _settle(client):
    """The first page adds the CSRF token to the session: its cookie changes once."""
    assert client.get("/").status_code == 200


def test_the_same_cookie_is_checked_once(app, staff_client, loads):
    assert isinstance(app.session_interface, CookieSessions)
    _settle(staff_client)
    loads.clear()
    for _ in range(3):
        assert staff_client.get("/modules").status_code == 200
    assert loads == [_cookie(staff_client, app)]


def test_a_tampered_cookie_is_refused_after_the_good_one_was_kept(app, staff_client, loads):
    """Does a cookie with a changed signature log nobody in, though the real one is kept?"""
    assert staff_client.get("/").status_code == 200
    good = _cookie(staff_client, app)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    staff_client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    response = staff_client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    staff_client.set_cookie(app.config["SESSION_COOKIE_NAME"], good)
    assert staff_client.get("/").status_code == 200


def test_a_kept_cookie_older_than_the_session_lifetime_is_refused(app, staff_client, loads):
    _settle(staff_client)
    assert staff_client.get("/").status_code == 200
    app.permanent_session_lifetime = timedelta(hours=1)
    opened = app.session_interface._opened
    key = next(k for k in opened if k[1] == _cookie(staff_client, app))
    values, signed_at = opened[key]
    opened[key] = (values, signed_at - 3601)
    response = staff_client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_session_holding_more_than_plain_values_is_read_afresh(app, staff_client, loads):
    """Is a session with flashed messages (a list) never kept, so no change in place leaks?"""
    with staff_client.session_transaction() as session:
        session["_flashes"] = [("info", "Saved.")]
    assert b"Saved." in staff_client.get("/").data
    assert not any("_flashes" in values for values, _ in app.session_interface._opened.values())
    assert b"Saved." not in staff_client.get("/").data  # shown once, as before


def test_the_kept_cookies_stay_bounded(app, staff_client, loads, monkeypatch):
    monkeypatch.setattr(CookieSessions, "OPENED_ENTRIES", 1)
    assert staff_client.get("/").status_code == 200
    with staff_client.session_transaction() as session:
        session["seen_at"] = session["seen_at"] - 1  # a new cookie
    assert staff_client.get("/").status_code == 200
    assert len(app.session_interface._opened) == 1
