"""Form widgets tuned for pages that render long lists of choices.

WTForms builds every ``<option>`` through ``html_params``, which sorts and
escapes a dict per option; a review session page with a case picker and an
owner picker per agenda item renders hundreds of them, and that alone cost more
than all of the page's queries. ``FastSelect`` writes the common option (a value,
a label, maybe ``selected``) directly and leaves anything unusual to WTForms.
"""

import wtforms
from markupsafe import Markup, escape
from wtforms.widgets import Select


class FastSelect(Select):
    @classmethod
    def _dispatch_render_option(cls):
        # WTForms inspects render_option's signature on every render to support
        # pre-3.3 overrides; ours is the current signature.
        return cls.render_option

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        label = escape(choice.label or choice.value)
        selected = " selected" if choice.selected else ""
        return Markup(f'<option{selected} value="{escape(value)}">{label}</option>')


class SelectField(wtforms.SelectField):
    """``wtforms.SelectField`` rendered by ``FastSelect``; everything else unchanged."""

    widget = FastSelect()
