"""The base class of forms that create something: each rendering carries a one-time
token, so a double click saves once."""

import re
import threading
import time
import uuid

from flask import current_app, g, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import HiddenField

from learning_hub import submissions

TOKEN = re.compile(r"[0-9a-f]{32}")


def new_token():
    return uuid.uuid4().hex


# A signed CSRF token stays valid for WTF_CSRF_TIME_LIMIT (an hour); signing a fresh
# one for every page cost each page about 3% of its time, so a session's signed token
# is handed out again for this long (it is then at most a minute older when checked).
CSRF_REUSE_SECONDS = 60
CSRF_REUSE_ENTRIES = 4096
_signed_tokens = {}
_signed_lock = threading.Lock()


def csrf_token():
    """Flask-WTF's ``generate_csrf``, reusing the session's signed token for a minute."""
    config = current_app.config
    name = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    token = g.get(name)
    if token is not None:
        return token
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    raw = session.get(name)
    now = time.monotonic()
    if isinstance(raw, str):
        hit = _signed_tokens.get((secret, raw))
        if hit is not None and now - hit[1] < CSRF_REUSE_SECONDS:
            setattr(g, name, hit[0])
            return hit[0]
    token = generate_csrf()
    with _signed_lock:
        if len(_signed_tokens) >= CSRF_REUSE_ENTRIES:
            _signed_tokens.clear()
        _signed_tokens[(secret, session[name])] = (token, now)
    return token


class BaseForm(FlaskForm):
    """A form whose every rendering may be saved once.

    ``submission_token`` is a fresh random value each time the form is built
    without posted data (that is, rendered for a GET). When the form is posted
    with it and everything else is valid, the token is claimed in the request's
    transaction; the same token arriving again (a double click, a resent request)
    is answered with a redirect to where the first went and saves nothing. A form
    shown again with errors keeps its token, so correcting it still saves once.
    Templates output it with ``{{ form.submission_token }}`` beside the CSRF token.
    """

    submission_token = HiddenField(default=new_token)

    def validate(self, extra_validators=None):
        token = self._posted_token()
        if token is not None and submissions.claimed_in_this_request(token):
            token = None  # validated twice in one request: claimed once already
        if token is not None and submissions.is_used(token):
            # Before the fields: a resent form would otherwise meet its own first save
            # ("that name is taken") instead of being told it was saved.
            submissions.answer_duplicate(token)
        if not super().validate(extra_validators):
            return False
        if token is not None:
            try:
                submissions.claim(token)
            except submissions.AlreadySubmitted:
                submissions.answer_duplicate(token)
        return True

    def _posted_token(self):
        """The token that was sent, if a well-formed one was (older pages send none)."""
        if not self.submission_token.raw_data:
            return None
        token = (self.submission_token.data or "").strip().lower()
        return token if TOKEN.fullmatch(token) else None
