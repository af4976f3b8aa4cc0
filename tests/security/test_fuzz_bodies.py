"""Bodies over MAX_CONTENT_LENGTH on every POST route, with CSRF protection on as in production.

CSRF protection reads every POST's form before the view runs, so even a route that
takes no fields (log out, close a case) refuses an oversized body with 413.
"""

import re

import pytest
from werkzeug.test import encode_multipart


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_every_post_route_refuses_an_oversized_body(app, world, client_for):
    """Does every POST route answer an oversized body, urlencoded or multipart, with 413?"""
    client = client_for(world.staff)
    limit = app.config["MAX_CONTENT_LENGTH"]
    boundary, multipart = encode_multipart({"text": "x" * (limit + 1)})
    urlencoded = b"text=" + b"x" * limit
    checked = 0
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        urls = [
            adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1), method="POST")
            if "token" not in rule.arguments
            else adapter.build(rule.endpoint, {"token": "t"}, method="POST")
            for rule in post_rules(app)
        ]
    for url in urls:
        for body, kind in (
            (urlencoded, "application/x-www-form-urlencoded"),
            (multipart, f"multipart/form-data; boundary={boundary}"),
        ):
            response = client.post(url, data=body, content_type=kind)
            assert response.status_code == 413, (url, kind, response.status_code)
            page = response.get_data(as_text=True)
            assert "That was too large to send" in page, url
            assert re.search(r"Reference: <code>[0-9a-f]{6,}</code>", page), url
        checked += 1
    assert checked >= 40
