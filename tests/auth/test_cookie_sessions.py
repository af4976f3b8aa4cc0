"""A session cookie is trusted only as it was signed, and only for the session lifetime."""

from datetime import timedelta


def _cookie(client, app):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def test_a_tampered_cookie_is_refused(app, client_for):
    """Does a cookie with a changed signature log nobody in, while the real one still works?"""
    client = client_for("staff")
    assert client.get("/").status_code == 200
    good = _cookie(client, app)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], good)
    assert client.get("/").status_code == 200


def test_a_cookie_older_than_the_session_lifetime_is_refused(app, client_for, monkeypatch):
    """Is a cookie signed longer ago than the session lifetime taken as no session at all?"""
    client = client_for("staff")
    import itsdangerous.timed

    assert client.get("/").status_code == 200
    app.permanent_session_lifetime = timedelta(hours=1)
    signed_now = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: signed_now(self) + 3601
    )
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
