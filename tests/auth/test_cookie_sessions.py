"""A session cookie is trusted only as it was signed, and only for the session lifetime."""

from datetime import timedelta


def _cookie(client, app):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def test_a_tampered_cookie_is_refused(app, staff_client):
    """Does a cookie with a changed signature log nobody in, while the real one still works?"""
    assert staff_client.get("/").status_code == 200
    good = _cookie(staff_client, app)
    forged = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    staff_client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)
    response = staff_client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    staff_client.set_cookie(app.config["SESSION_COOKIE_NAME"], good)
    assert staff_client.get("/").status_code == 200


def test_a_cookie_older_than_the_session_lifetime_is_refused(app, staff_client, monkeypatch):
    """Is a cookie signed longer ago than the session lifetime taken as no session at all?"""
    import itsdangerous.timed

    assert staff_client.get("/").status_code == 200
    app.permanent_session_lifetime = timedelta(hours=1)
    signed_now = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(
        itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: signed_now(self) + 3601
    )
    response = staff_client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
