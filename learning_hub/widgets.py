"""Form fields whose widgets render quickly; forms import their fields from here.

WTForms builds every attribute list through ``html_params``, which formats each
attribute with ``Markup.format`` (a ``string.Formatter`` per attribute); a field
cost about 50 µs, and a module page with a form per prompt or a review session
page with a picker per agenda item renders dozens of fields and hundreds of
``<option>`` elements. The widgets here write the same HTML, attribute for
attribute and in the same order, with plain string building: about 15 µs a field.
Everything else about the fields (data, validation, choices) is WTForms' own.
"""

import wtforms
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key


def html_params(**kwargs):
    """``wtforms.widgets.html_params``, the same output without ``Markup.format``."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = escape(clean_key(key))
        if value is True:
            params.append(str(key))
        elif value is not False:
            params.append(f'{key}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


class _FastParams:
    html_params = staticmethod(html_params)


class FastTextInput(_FastParams, widgets.TextInput):
    pass


class FastEmailInput(_FastParams, widgets.EmailInput):
    pass


class FastPasswordInput(_FastParams, widgets.PasswordInput):
    pass


class FastNumberInput(_FastParams, widgets.NumberInput):
    pass


class FastDateInput(_FastParams, widgets.DateInput):
    pass


class FastTimeInput(_FastParams, widgets.TimeInput):
    pass


class FastHiddenInput(_FastParams, widgets.HiddenInput):
    pass


class FastCheckboxInput(_FastParams, widgets.CheckboxInput):
    pass


class FastTextArea(widgets.TextArea):
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = field.flags
        for name in self.validation_attrs:  # what WTForms finds by scanning dir(flags)
            value = getattr(flags, name)
            if value is not None and name not in kwargs:
                kwargs[name] = value
        params = html_params(name=field.name, **kwargs)
        return Markup(f"<textarea {params}>\r\n{escape(field._value())}</textarea>")


class FastSelect(widgets.Select):
    """Writes the common option (a value, a label, maybe ``selected``) directly."""

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

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = field.flags
        for name in self.validation_attrs:
            value = getattr(flags, name)
            if value is not None and name not in kwargs:
                kwargs[name] = value
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        if field.has_groups():
            for group, choices in field._iter_groups_normalized():
                if group is not None:
                    html.append(f"<optgroup {html_params(label=group)}>")
                html.extend(self.render_option(choice) for choice in choices)
                if group is not None:
                    html.append("</optgroup>")
        else:
            html.extend(self.render_option(choice) for choice in field._iter_choices_normalized())
        html.append("</select>")
        return Markup("".join(html))


class StringField(wtforms.StringField):
    widget = FastTextInput()


class TextAreaField(wtforms.TextAreaField):
    widget = FastTextArea()


class EmailField(wtforms.EmailField):
    widget = FastEmailInput()


class PasswordField(wtforms.PasswordField):
    widget = FastPasswordInput()


class IntegerField(wtforms.IntegerField):
    widget = FastNumberInput()


class DateField(wtforms.DateField):
    widget = FastDateInput()


class TimeField(wtforms.TimeField):
    widget = FastTimeInput()


class HiddenField(wtforms.HiddenField):
    widget = FastHiddenInput()


class BooleanField(wtforms.BooleanField):
    widget = FastCheckboxInput()


class SelectField(wtforms.SelectField):
    widget = FastSelect()
