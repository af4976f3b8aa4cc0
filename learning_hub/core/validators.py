"""Form pieces shared by several blueprints: dates within reach, minutes in plain words,
one-line text."""

import re
from datetime import date

from wtforms import IntegerField
from wtforms.validators import StopValidation, ValidationError

PLAUSIBLE_YEARS = 10


def within_years(form, field):
    """Refuse dates more than ten years from today: a typo, and past what calendars hold."""
    if field.data is None:
        return
    today = date.today()
    earliest = today.replace(year=today.year - PLAUSIBLE_YEARS, day=min(today.day, 28))
    latest = today.replace(year=today.year + PLAUSIBLE_YEARS, day=min(today.day, 28))
    if not earliest <= field.data <= latest:
        raise ValidationError(
            f"Choose a date within {PLAUSIBLE_YEARS} years of today, "
            f"between {earliest:%-d %B %Y} and {latest:%-d %B %Y}"
        )


class MinutesField(IntegerField):
    """A whole number of minutes; anything else is refused in plain words."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError("Enter a whole number of minutes, like 30.") from exc


# Line breaks of every kind a paste can carry, then the other control characters (C0, DEL
# and C1, tab included): none can be typed into a one-line box, and in a title or a name
# they break the layouts, e-mails, calendar feeds and CSV exports that show it on one line.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class SingleLine:
    """Refuse line breaks and control characters in a one-line field, beside the field.

    Every one-line text field carries it, first among its validators: it stops the chain
    (``StopValidation``), so an ``Optional`` after it cannot wave through a value that is
    only a line break or a tab. ``name`` is how the message names the field; by default
    its label, without "(optional)".
    """

    def __init__(self, name=None):
        self.name = name

    def __call__(self, form, field):
        value = field.data if isinstance(field.data, str) else ""
        if not _CONTROL.search(value) and not _LINE_BREAK.search(value):
            return
        name = self.name or re.sub(r"\s*\(optional\)\s*$", "", field.label.text)
        if _LINE_BREAK.search(value):
            raise StopValidation(f"{name} must be on one line")
        raise StopValidation(f"{name} cannot contain control characters, such as tabs")
