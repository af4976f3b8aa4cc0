"""Headers, error pages, health, static caching and the Markdown pipeline."""

import re
import shutil

import pytest
from sqlalchemy.exc import OperationalError

from learning_hub.core import markdown
from learning_hub.core.extensions import db


def test_security_headers_on_every_page(client, client_for):
    """Does every response carry the CSP and the other protective headers?"""
    staff_client = client_for("staff")
    for response in (client.get("/login"), staff_client.get("/"), client.get("/nope")):
        csp = response.headers["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert staff_client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(client_for):
    """Do the pages work under a CSP that forbids inline script?"""
    staff_client = client_for("staff")
    admin_client = client_for("admin")
    for response in (staff_client.get("/"), admin_client.get("/admin/")):
        assert b"<script>" not in response.data
        assert b"onclick" not in response.data


def test_static_files_are_versioned_and_cached(client):
    """Do static URLs carry a content version and a long cache lifetime?"""
    page = client.get("/login").get_data(as_text=True)
    assert "/static/app.css?v=" in page
    with client.get("/static/app.css") as css:
        assert css.status_code == 200
        assert "max-age=31536000" in css.headers["Cache-Control"]


def test_session_cookie_flags(client, world):
    """Is the session cookie HttpOnly and SameSite=Lax?"""
    client.post(
        "/login", data={"email": "staff@example.org", "password": "correct horse battery staple"}
    )
    cookie = client.get_cookie("learning_hub_session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_production_cookie_is_secure():
    """Does the production profile mark the session cookie Secure?"""
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_healthz_reports_database(client):
    """Does /healthz answer after a real query, naming each of its checks?"""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "disk": "ok",
        "rate_limit_storage": "off",  # the test profile runs without rate limits
    }


def _free_space(low_folder, free_mb):
    """A stand-in for shutil.disk_usage: ``free_mb`` free under ``low_folder``, plenty elsewhere."""
    real = shutil.disk_usage

    def disk_usage(path):
        usage = real(path)
        if str(path).startswith(str(low_folder)):
            return usage._replace(free=free_mb * 1024 * 1024)
        return usage._replace(free=10 * 1024**4)

    return disk_usage


def test_healthz_says_degraded_when_the_disk_runs_low(app, client, monkeypatch):
    """With less free space than HEALTH_MIN_FREE_MB where the site writes, does /healthz
    say the disk is low (degraded, still 200: pages and writes still work)?"""
    monkeypatch.setattr(shutil, "disk_usage", _free_space(app.instance_path, 499))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "degraded",
        "database": "ok",
        "disk": "low",
        "rate_limit_storage": "off",
    }
    monkeypatch.setattr(shutil, "disk_usage", _free_space(app.instance_path, 501))
    assert client.get("/healthz").get_json()["disk"] == "ok"


@pytest.fixture
def backup_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("backups")


@pytest.fixture
def app_config(request):
    if "backup_dir" in request.fixturenames:
        return {"BACKUP_DIR": str(request.getfixturevalue("backup_dir"))}
    return {}


def test_healthz_watches_the_backup_folder(client, backup_dir, monkeypatch):
    """When only the backup folder (BACKUP_DIR) runs short of space, does /healthz say so?"""
    monkeypatch.setattr(shutil, "disk_usage", _free_space(backup_dir, 10))
    body = client.get("/healthz").get_json()
    assert body["disk"] == "low" and body["status"] == "degraded"


def test_healthz_503_when_database_unreachable(client, monkeypatch):
    """Does /healthz answer 503 when the database cannot be reached?"""

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


@pytest.mark.parametrize("code", [400, 403, 404, 405, 429, 500])
def test_error_pages_reveal_nothing_internal(app, client, code):
    """Does each error page show a plain message and a reference, and no internals?"""
    from flask import abort

    def boom():
        if code == 500:
            raise RuntimeError("secret internal detail")
        abort(code)

    app.add_url_rule(f"/_boom{code}", f"boom{code}", boom)
    response = client.get(f"/_boom{code}")
    assert response.status_code == code
    body = response.get_data(as_text=True)
    assert "Reference:" in body
    assert "Traceback" not in body and "secret internal detail" not in body


def test_unknown_page_is_404(client):
    """Is an unknown address a plain 404 page?"""
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert b"Page not found" in response.data


HOSTILE = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("[click](JaVaScRiPt:alert(1))", "javascript:"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("<svg onload=alert(1)>", "<svg"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<a href="https://ok.example" onclick="x()">x</a>', "onclick"),
    ("![tracker](https://evil.example/pixel.png)", "<img"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "onerror"),
    ("<<script>script>alert(1)<</script>/script>", "<script"),
]


@pytest.mark.parametrize(("source", "forbidden"), HOSTILE)
def test_markdown_pipeline_renders_hostile_input_inert(source, forbidden):
    """Does the pipeline leave no script, handler, bad link or external image in its tags?
    (HTML written in a text is shown as typed, escaped, so only the tags are looked at.)"""
    html = str(markdown.render(source)).lower()
    assert forbidden not in "".join(re.findall(r"<[^>]*>", html))


def test_markdown_pipeline_keeps_ordinary_formatting():
    """Are emphasis, lists, quotes and safe links kept?"""
    html = str(
        markdown.render(
            "## Plan\n\n**Agreed** with *them*:\n\n- texts, not calls\n- mornings\n\n"
            "> It felt like a test\n\nSee [the module](/modules/identify-analyse-plan) "
            "and [guidance](https://example.org/guide)."
        )
    )
    for fragment in (
        "<h2>Plan</h2>",
        "<strong>Agreed</strong>",
        "<em>them</em>",
        "<li>texts",
        "<blockquote>",
        'href="/modules/identify-analyse-plan"',
        'rel="nofollow noopener noreferrer"',
    ):
        assert fragment in html


def test_markdown_filter_escapes_in_templates(app):
    """Does the template filter show HTML in user text as typed, never as markup?"""
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string("{{ text|markdown }}", text="<b>hi</b><script>x</script>")
    assert html == "<p>&lt;b&gt;hi&lt;/b&gt;&lt;script&gt;x&lt;/script&gt;</p>"


@pytest.mark.real_commits
def test_page_with_database_down_is_a_plain_503_even_for_a_logged_in_person(
    app, client_for, monkeypatch
):
    """When the database is unreachable, is every page a plain 503 with a reference?"""
    client = client_for("staff")
    from sqlalchemy.engine import Connection

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(Connection, "execute", broken)  # every statement, ORM or not
    response = client.get("/modules")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "Reference:" in body and "connection refused" not in body
