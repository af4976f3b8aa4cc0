"""Request-wide refusals of input that no page or form could use.

A null character cannot be stored in a PostgreSQL text column, and nobody types one:
it comes from a script or a damaged paste. Refusing it here, for the address, the query
string and every form, keeps it from reaching the database as a crash (500).

Bodies and query strings are read strictly (``Request``, ``refuse_unreadable_input``):
a chunked body over MAX_CONTENT_LENGTH is refused whole (413) rather than cut at the
limit, a body that is not a form is refused as unreadable rather than read as an empty
form (which the CSRF check would then blame on an expired session), and text that is
not valid UTF-8 is refused rather than kept as ``%FF`` or turned into U+FFFD.
"""

from urllib.parse import parse_qsl

import flask
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_input_stream

from learning_hub.core import site

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

UNREADABLE_TEXT = (
    "That form could not be read",
    "Nothing was saved. What was sent was not a form this site can read; a browser "
    "extension or a script may have changed it. Go back, reload the page and send the "
    "form again.",
)
NOT_UTF8_TEXT = (
    "Part of what was sent could not be read as text",
    "Nothing was saved. Some characters were not valid text (UTF-8); this can come from "
    "pasting out of another program. Go back, retype the text or paste it as plain text, "
    "and try again.",
)


class _BodyWithinLimit(LimitedStream):
    """A body without a length (chunked), refused once it goes past ``limit`` bytes.

    Werkzeug's own limited stream stops quietly when it has read exactly the limit, so
    the form parser sees the first mebibyte of a longer body as the whole of it. This
    one reads up to one byte past the limit, and that byte is a 413.
    """

    def __init__(self, stream, limit):
        super().__init__(stream, limit + 1, is_max=True)
        self._max = limit

    def readinto(self, b):
        size = super().readinto(b)
        if self._pos > self._max:
            raise RequestEntityTooLarge()
        return size


class _StrictFormDataParser(FormDataParser):
    """Werkzeug's form parser, refusing percent-encoded bytes that are not UTF-8.

    Werkzeug keeps them as the text ``%FF``, so a damaged value would be saved looking
    like something typed; here they raise ``UnicodeDecodeError`` (a ``ValueError``).
    """

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        items = parse_qsl(stream.read().decode(), keep_blank_values=True, errors="strict")
        return stream, self.cls(items), self.cls()


class Request(flask.Request):
    """Flask's request, reading its body strictly (see the module's docstring)."""

    form_data_parser_class = _StrictFormDataParser

    @cached_property
    def stream(self):
        limit = self.max_content_length
        terminated = self.environ.get("wsgi.input_terminated")
        if limit is not None and terminated and self.content_length is None:
            return _BodyWithinLimit(self.environ["wsgi.input"], limit)
        return get_input_stream(self.environ, max_content_length=limit)

    def make_form_data_parser(self):
        parser = super().make_form_data_parser()
        parser.silent = False  # a malformed body raises, for refuse_unreadable_input
        return parser


def _is_utf8_query(raw):
    try:
        parse_qsl(raw.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def refuse_unreadable_input():
    """Refuse (400) a query string or form value that is not UTF-8, and a body that is
    not a form or cannot be parsed as one. Runs before the CSRF check.

    A body over the limit raises ``RequestEntityTooLarge`` here (413), before anything
    reads it.
    """
    if request.query_string and not _is_utf8_query(request.query_string):
        return site.refuse(400, NOT_UTF8_TEXT)
    if request.method not in BODY_METHODS:
        return None
    if request.mimetype not in FORM_TYPES:
        # Every form on this site is one of the two; any other body is not ours to read.
        return site.refuse(400, UNREADABLE_TEXT) if request.get_data(cache=True) else None
    try:
        form = request.form
    except UnicodeDecodeError:
        return site.refuse(400, NOT_UTF8_TEXT)
    except ValueError:
        return site.refuse(400, UNREADABLE_TEXT)
    if request.mimetype != "multipart/form-data":
        return None
    if any(key is None for key in form):  # a part with no field name
        return site.refuse(400, UNREADABLE_TEXT)
    # Werkzeug's multipart parser turns bytes that are not UTF-8 into U+FFFD.
    if any("\ufffd" in key or "\ufffd" in value for key, value in form.items(multi=True)):
        return site.refuse(400, NOT_UTF8_TEXT)
    return None


def _texts():
    yield request.path
    yield from (v for v in (request.view_args or {}).values() if isinstance(v, str))
    sources = [request.args, request.form] if request.method == "POST" else [request.args]
    for source in sources:
        for key, value in source.items(multi=True):
            yield key
            yield value


def refuse_null_characters():
    if not any("\x00" in text for text in _texts()):
        return None
    return site.refuse(
        400,
        (
            "What was sent contains a null character",
            "Nothing was saved. A null character can come from pasting out of another "
            "program: go back, retype the text or paste it as plain text, and try again.",
        ),
    )
