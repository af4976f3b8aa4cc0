"""The base class of forms that create something (each rendering carries a one-time
token), and empty forms whose fields are rendered once."""

import functools
import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from learning_hub import submissions
from learning_hub.widgets import HiddenField, html_params

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
class Blank:
    """An empty form for a GET, passed to a template in place of the form itself.

    An empty form renders the same every time apart from its two tokens, yet
    building a WTForms form and rendering its fields costs more than anything else
    on a page with a few forms (a case page's entry and trigger forms: about
    0.7 ms of its 3.5). ``form_body`` renders the fields of a ``Blank`` once per
    process and day (defaults such as today's date are the day's) and writes its
    CSRF and submission tokens fresh. Only for forms whose empty fields depend on
    nothing else: choices made per person or per team need the real form.
    """

    form_class: type
    prefix: str = ""
    errors: dict = field(default_factory=dict)
    form_errors: tuple = ()

    def tokens(self):
        """The CSRF and one-time submission tokens, as the form's own fields write them."""
        name = f"{self.prefix}-" if self.prefix else ""
        html = ""
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf = f"{name}csrf_token"
            params = html_params(id=csrf, name=csrf, type="hidden", value=generate_csrf())
            html += f"<input {params}>"
        if issubclass(self.form_class, BaseForm):
            token = f"{name}submission_token"
            html += f"<input {html_params(name=token, type='hidden', value=new_token())}>"
        return Markup(html)


def form_body(form, template, macro):
    """A form's tokens and fields: ``macro`` of ``template`` renders the fields of ``form``.

    For a ``Blank`` the fields come from one rendering of an empty form, kept per
    process for the day; for a form with what the person typed or with errors,
    they are rendered from it, every time.
    """
    if isinstance(form, Blank):
        if current_app.jinja_env.auto_reload:  # a template being edited shows at once
            fields = _blank_fields.__wrapped__(form.form_class, form.prefix, template, macro, None)
        else:
            fields = _blank_fields(form.form_class, form.prefix, template, macro, date.today())
        return form.tokens() + fields
    tokens = form.csrf_token() if hasattr(form, "csrf_token") else Markup("")
    if hasattr(form, "submission_token"):
        tokens += form.submission_token(id=False)
    return tokens + _render_fields(form, template, macro)


@functools.lru_cache(maxsize=256)
def _blank_fields(form_class, prefix, template, macro, _day):
    return _render_fields(form_class(prefix=prefix, formdata=None), template, macro)


def _render_fields(form, template, macro):
    return getattr(current_app.jinja_env.get_template(template).module, macro)(form)
