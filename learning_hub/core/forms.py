"""The base class of forms that create something: each rendering carries a one-time
token, so a double click saves once."""

import re
import uuid

from flask_wtf import FlaskForm
from wtforms import HiddenField

from learning_hub.core import submissions

TOKEN = re.compile(r"[0-9a-f]{32}")


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
