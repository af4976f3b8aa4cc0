"""Request bodies and query strings the site cannot use are refused, never cut or mangled.

A chunked body (``Transfer-Encoding: chunked``: no Content-Length, and gunicorn sets
``wsgi.input_terminated``) over MAX_CONTENT_LENGTH is a 413, not its first mebibyte saved.
A body that cannot be parsed says so, rather than blaming an expired session. Text that is
not valid UTF-8 is refused rather than stored as ``%FF``.
"""

import io
from urllib.parse import quote, urlencode

import pytest
from werkzeug.test import encode_multipart

from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection
from tests.security.test_fuzz import _the_form, assert_plain_413

UNREADABLE = "That form could not be read"
NOT_UTF8 = "could not be read as text"
SESSION_EXPIRED = "Your session expired"


def reflections():
    return db.session.scalar(db.select(db.func.count(Reflection.id)))


def post_chunked(client, url, body, content_type="application/x-www-form-urlencoded"):
    """POST ``body`` as gunicorn hands a chunked request to the app: no length, terminated."""
    return client.post(
        url,
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def reflection_form(world, place):
    _label, role, url, valid = _the_form(world, place, "reflection")
    body_field = next(name for name in valid if name.endswith("-body"))
    return role, url, valid, body_field


def test_a_chunked_body_over_the_limit_is_refused_not_cut(app, world, place, clients):
    """Is a chunked body over the limit a 413 with nothing saved, not its first MiB saved?"""
    role, url, valid, body_field = reflection_form(world, place)
    limit = app.config["MAX_CONTENT_LENGTH"]
    # The reflection straddles the limit: cut at it, 8,000 of its characters would remain.
    padding = "padding=" + "p" * (limit - 8_000 - len(body_field) - 10)
    body = f"{padding}&{body_field}={'r' * 15_000}&{urlencode(valid)}".encode()
    before = reflections()
    response = post_chunked(clients[role], url, body)
    assert_plain_413(response)
    assert "That was too large to send" in response.get_data(as_text=True)
    assert reflections() == before


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_a_chunked_body_far_over_the_limit_is_refused(app, world, place, clients, kind):
    """Is a chunked body of several MiB, urlencoded or multipart, refused with 413?"""
    role, url, valid, body_field = reflection_form(world, place)
    fields = {**valid, body_field: "x" * (3 * app.config["MAX_CONTENT_LENGTH"])}
    if kind == "urlencoded":
        body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
    else:
        boundary, body = encode_multipart(fields)
        content_type = f"multipart/form-data; boundary={boundary}"
    before = reflections()
    assert_plain_413(post_chunked(clients[role], url, body, content_type))
    assert reflections() == before


def test_a_chunked_body_within_the_limit_is_saved_whole(app, world, place, clients):
    """Is a chunked body just under the limit still read whole and saved?"""
    role, url, valid, body_field = reflection_form(world, place)
    limit = app.config["MAX_CONTENT_LENGTH"]
    text = "w" * 19_000
    fields = urlencode({**valid, body_field: text})
    padding = "padding=" + "p" * (limit - len(fields) - len("padding=") - 1)
    body = f"{padding}&{fields}".encode()
    assert len(body) == limit
    response = post_chunked(clients[role], url, body)
    assert response.status_code == 302, response.status_code
    saved = db.session.scalar(db.select(Reflection).order_by(Reflection.id.desc()))
    assert saved.body == text


# --- bodies that cannot be read -----------------------------------------------------------


@pytest.fixture
def with_csrf(app):
    """CSRF protection on, as in production (the tests' configuration turns it off)."""
    app.config["WTF_CSRF_ENABLED"] = True


UNREADABLE_BODIES = [
    ("multipart without its end", "multipart/form-data; boundary=xx", b"--xx\r\nbroken"),
    ("multipart without a boundary", "multipart/form-data", b"--xx\r\n\r\nx\r\n--xx--\r\n"),
    (
        "multipart with a part without a name",
        "multipart/form-data; boundary=xx",
        b'--xx\r\nContent-Disposition: form-data; nme="a"\r\n\r\nx\r\n--xx--\r\n',
    ),
    ("JSON", "application/json", b'{"email": "staff@example.org"}'),
    ("plain text", "text/plain", b"email=staff@example.org"),
    ("XML", "application/xml", b"<email>staff@example.org</email>"),
    ("no content type", "", b"email=staff@example.org"),
]


@pytest.mark.parametrize(
    ("what", "content_type", "body"), UNREADABLE_BODIES, ids=[u[0] for u in UNREADABLE_BODIES]
)
def test_a_body_that_cannot_be_read_says_so(
    app, world, clients, with_csrf, what, content_type, body
):
    """Is a body the site cannot parse answered 'could not be read', not 'session expired'?"""
    for client, url in ((clients[None], "/login"), (clients["staff"], "/learning/goals/new")):
        response = client.post(url, data=body, content_type=content_type)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (what, url, response.status_code)
        assert UNREADABLE in page, (what, url)
        assert SESSION_EXPIRED not in page, (what, url)


def test_an_empty_post_without_a_form_still_meets_the_csrf_check(app, world, clients, with_csrf):
    """Does a POST with no body at all still get the CSRF page (it is a form without a token)?"""
    response = clients["staff"].post("/logout")
    assert response.status_code == 400
    assert SESSION_EXPIRED in response.get_data(as_text=True)


# --- text that is not UTF-8 ---------------------------------------------------------------


def assert_refused_as_not_text(response, label):
    page = response.get_data(as_text=True)
    assert response.status_code == 400, (label, response.status_code)
    assert NOT_UTF8 in page, (label, page[-800:])


@pytest.mark.parametrize(
    "encode",
    ["percent", "raw", "multipart", "multipart overlong"],
)
def test_a_form_field_that_is_not_utf8_is_refused(app, world, place, clients, encode):
    """Is a form value that is not valid UTF-8 refused (400), with nothing saved?"""
    role, url, valid, body_field = reflection_form(world, place)
    others = urlencode({k: v for k, v in valid.items() if k != body_field})
    if encode == "percent":
        body, kind = f"{others}&{quote(body_field)}=caf%E9%FF".encode(), None
    elif encode == "raw":
        body, kind = others.encode() + b"&" + body_field.encode() + b"=caf\xe9", None
    else:
        bad = b"caf\xe9" if encode == "multipart" else b"\xc0\xaf"
        parts = [
            b'--xx\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (k.encode(), v)
            for k, v in [*((k, v.encode()) for k, v in valid.items() if k != body_field)]
            + [(body_field, bad)]
        ]
        body, kind = b"".join(parts) + b"--xx--\r\n", "multipart/form-data; boundary=xx"
    before = reflections()
    response = clients[role].post(
        url, data=body, content_type=kind or "application/x-www-form-urlencoded"
    )
    assert_refused_as_not_text(response, encode)
    assert reflections() == before


def test_a_percent_sign_typed_as_text_is_kept(app, world, place, clients):
    """Is a literal '%FF' that someone typed still saved as they typed it?"""
    role, url, valid, body_field = reflection_form(world, place)
    response = clients[role].post(url, data={**valid, body_field: "100% sure: %FF é"})
    assert response.status_code == 302
    saved = db.session.scalar(db.select(Reflection).order_by(Reflection.id.desc()))
    assert saved.body == "100% sure: %FF é"


@pytest.mark.parametrize(
    "query",
    [b"q=%FF", b"q=caf%E9", b"q%FF=1", b"q=\xff", b"principle=autonomy&q=\xc3"],
)
def test_a_query_value_that_is_not_utf8_is_refused(app, world, clients, query):
    """Is a query string value that is not valid UTF-8 a 400 refusal, never a 500?"""
    response = clients["staff"].get(
        "/modules", environ_overrides={"QUERY_STRING": query.decode("latin-1")}
    )
    assert_refused_as_not_text(response, query)


def test_valid_utf8_in_a_query_is_still_read(app, world, clients):
    """Does a search for 'café' (valid UTF-8, percent-encoded) still answer 200?"""
    assert clients["staff"].get("/modules?q=caf%C3%A9").status_code == 200
