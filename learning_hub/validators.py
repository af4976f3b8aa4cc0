"""Form pieces shared by several blueprints: dates within reach, minutes in plain words."""

from datetime import date

from wtforms.validators import ValidationError

from learning_hub.widgets import IntegerField

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
