"""The base class of forms that create something (each rendering carries a one-time
token, so a double click saves once), the key that lets a form's fields as a GET
first shows them be drawn once, and the email address field every form shares."""

import hashlib
import re
import uuid
from datetime import date

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Email, Length

from learning_hub.core import submissions
from learning_hub.core.validators import SingleLine

TOKEN = re.compile(r"[0-9a-f]{32}")
# Written fresh on every rendering, outside any cached fields (the `tokens` macro).
TOKEN_FIELDS = frozenset({"csrf_token", "submission_token"})


def email_field(label, missing, *, autocomplete=None):
    """An email address: one line, required (``missing`` asks for it), in the right
    format, at most 254 characters (the longest an address can be), spaces around it removed."""
    render_kw = {"spellcheck": "false"}
    if autocomplete:
        render_kw["autocomplete"] = autocomplete
    return EmailField(
        label,
        validators=[
            SingleLine(),
            DataRequired(missing),
            Email("Enter an email address in the right format, like name@example.org"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
        # Spaces only: a line break is refused by SingleLine, not quietly removed.
        filters=[lambda value: value.strip(" \t") if value else value],
        render_kw=render_kw,
    )


def new_token():
    return uuid.uuid4().hex


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


def fields_key(form):
    """A cache key for the fields of ``form`` as a GET first shows them, or None.

    The fields of a form that carries nothing the person typed and no errors follow
    from its class, its prefix and each field's value, choices, label, description and
    attributes (defaults such as today's date are the day's): the key holds all of
    them, so the same key always draws the same HTML (the ``cached_fields`` macro in
    _macros/forms.html). A form built from posted data, or with errors, has no key and is
    drawn every time. The tokens are never part of it.
    """
    if form.errors or getattr(form, "form_errors", None):
        return None
    parts = [type(form).__module__, type(form).__qualname__, form._prefix, date.today()]
    for field in form:
        if field.short_name in TOKEN_FIELDS:
            continue
        if field.raw_data is not None:
            return None
        parts += (
            field.name,
            field.data,
            getattr(field, "choices", None),
            field.label.text,
            field.description,
            field.render_kw,
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()
