"""Links: paths safe to send a person back to, and absolute links built from the
configured BASE_URL, never from the request's Host header.

A link that leaves the page (mailed, or shown for copying into a calendar) must point
at this site even when a request named another host: otherwise anyone could make the
site mail a reset or invitation link that leads to their own server. Links within a
page stay relative (``url_for``).
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """The absolute URL of ``endpoint`` (a full name, like ``"auth.login"``) on BASE_URL.

    Works with or without a request (the CLI uses it too).
    """
    app = current_app
    base = urlsplit(app.config["BASE_URL"])
    adapter = app.url_map.bind(
        base.netloc,
        script_name=base.path.rstrip("/") or "/",
        url_scheme=base.scheme,
    )
    app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def is_safe_next(target):
    """True for a path on this site; refuses other hosts however they are spelt."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
