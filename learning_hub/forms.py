"""The base class of forms that create something (each rendering carries a one-time
token), and forms shown for a GET, whose fields are rendered once."""

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import ClassVar

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from learning_hub import submissions
from learning_hub.widgets import HiddenField

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


@dataclass(frozen=True)
class Unposted:
    """A form as a GET shows it, passed to a template in place of the form itself.

    Such a form renders the same every time apart from its two tokens: its fields
    follow from its class, its prefix, the data it starts with and the choices it
    offers. Yet building a WTForms form and rendering its fields costs more than
    anything else on a page with several forms (a case page's entry and trigger
    forms took about 0.7 ms of its 3.5; a review session builds two per agenda
    item). ``form_body`` renders the fields of an ``Unposted`` once per process and
    day for each distinct class, prefix, data and choices (defaults such as today's
    date are the day's), and writes its CSRF and submission tokens fresh. ``data``
    and ``choices`` are tuples of (field name, value) pairs, so they can be a key.
    """

    form_class: type
    prefix: str = ""
    data: tuple = ()
    choices: tuple = ()
    # What templates ask of a form before showing it: it has no errors yet.
    errors: ClassVar = MappingProxyType({})
    form_errors: ClassVar = ()

    def tokens(self):
        """The CSRF and one-time submission tokens, as the form's own fields write them
        (the attributes ``html_params`` would write, in its order, written directly)."""
        name = escape(f"{self.prefix}-" if self.prefix else "")
        html = ""
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            html += (
                f'<input name="{name}csrf_token" type="hidden" value="{escape(generate_csrf())}">'
            )
        if issubclass(self.form_class, BaseForm):
            html += f'<input name="{name}submission_token" type="hidden" value="{new_token()}">'
        return Markup(html)

    def build(self):
        """The WTForms form this stands for, as the route would have built it."""
        form = self.form_class(formdata=None, prefix=self.prefix, **dict(self.data))
        for name, choices in self.choices:
            form[name].choices = list(choices)
        return form


def form_body(form, template, macro):
    """A form's tokens and fields: ``macro`` of ``template`` renders the fields of ``form``.

    For an ``Unposted`` form the fields come from one rendering, kept per process
    for the day; a form with what the person typed, or with errors, is rendered
    from itself every time.
    """
    if isinstance(form, Unposted):
        if current_app.jinja_env.auto_reload:  # a template being edited shows at once
            fields = _render_fields(form.build(), template, macro)
        else:
            fields = _unposted_fields(form, template, macro, date.today())
        return form.tokens() + fields
    # Hidden tokens carry no id: a page with several forms would repeat it.
    tokens = form.csrf_token(id=False) if hasattr(form, "csrf_token") else Markup("")
    if hasattr(form, "submission_token"):
        tokens += form.submission_token(id=False)
    return tokens + _render_fields(form, template, macro)


@functools.lru_cache(maxsize=1024)
def _unposted_fields(form, template, macro, _day):
    return _render_fields(form.build(), template, macro)


def _render_fields(form, template, macro):
    return getattr(current_app.jinja_env.get_template(template).module, macro)(form)
