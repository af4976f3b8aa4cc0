"""Recurrence rules typed by a person: one RFC 5545 RRULE line, checked, expanded boundedly.

A series is a local wall-clock start and a rule, expanded with python-dateutil in the
team's local time and stored in UTC. The rule is untrusted input, so:

- Only one RRULE line is read (an optional ``RRULE:`` prefix, then ``NAME=VALUE`` parts
  separated by ``;``). DTSTART, RDATE, EXDATE and EXRULE lines, anything on two lines, and
  parts other than FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYYEARDAY,
  BYWEEKNO, BYSETPOS and WKST are refused. The start time comes from the form, so
  BYHOUR, BYMINUTE and BYSECOND are refused, and so are SECONDLY, MINUTELY and HOURLY.
- INTERVAL is 1 to 1,000 and COUNT 1 to MAX_OCCURRENCES; COUNT and UNTIL together are
  refused (RFC 5545 forbids it).
- The work is bounded. dateutil walks a rule period by period and stops only at a result
  past UNTIL or at the end of year 9999, so a rule that can never match (30 February)
  walks every day to 9999: seconds to minutes of one worker. The rule is therefore
  expanded in a *calendar twin* of its years close to 9999 (a year whose 1 January falls
  on the same weekday, with leap years in the same places for the years the horizon
  spans, so every date maps to the same weekday, week number and day of the year) and the
  sessions are moved back. dateutil's own end of the calendar is then at most 28 years
  past the horizon (400 in rare years around a century), a few tens of milliseconds.
- Every refusal is a ScheduleError whose message is for the person: RULE_HELP for a rule
  that cannot be read, or a sentence saying why the series cannot be made.
"""

import calendar
import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule as dateutil_rrule

MAX_OCCURRENCES = 500
HORIZON_DAYS = 730
MAX_RULE_LENGTH = 300
MAX_INTERVAL = 1000
RULE_HELP = "Enter a rule like FREQ=MONTHLY;BYDAY=2TU, or choose a simpler repeat"
NO_SESSIONS = "That rule gives no sessions at all. Check the start and end."
TOO_MANY = (
    f"That rule gives more than {MAX_OCCURRENCES} sessions within two years. "
    "Meet less often, or set an end date."
)
FREQUENCIES = frozenset({"YEARLY", "MONTHLY", "WEEKLY", "DAILY"})
PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYSETPOS",
        "WKST",
    }
)
PART = re.compile(r"([A-Z]+)=([A-Z0-9,+-]+)")
UNTIL = re.compile(r"([0-9]{8})(?:T([0-9]{6})Z?)?")
# The latest first year whose horizon (two years on) still ends inside year 9999.
LATEST_TWIN = datetime.max.year - 2


class ScheduleError(ValueError):
    """A series that cannot be scheduled; the message is meant for the person."""


class NonexistentTime(ScheduleError):
    """A local start time the clocks skip (the spring change): about the start time field."""

    def __init__(self, local, tz_name):
        self.local = local
        super().__init__(
            f"{local:%H:%M} on {local:%A %-d %B %Y} does not exist in {tz_name}: the clocks "
            "go forward an hour then. Choose another start time."
        )


def local_to_utc(local, tz_name):
    """The UTC instant of the naive wall-clock time ``local`` in the zone ``tz_name``.

    A time the clocks skip (01:30 on the last Sunday of March in Europe/London) raises
    NonexistentTime rather than being moved silently. An ambiguous time, one that happens
    twice when the clocks go back, takes its first reading (summer time; ``fold=0``).
    """
    zone = ZoneInfo(tz_name)
    moment = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(local, tz_name)
    return moment


def read_rule(text):
    """The parts of one RRULE line as a dict of upper-case names and values.

    Raises ScheduleError(RULE_HELP) for anything else (see the module's docstring).
    """
    text = (text or "").strip().upper()
    if len(text) > MAX_RULE_LENGTH or "\n" in text or "\r" in text:
        raise ScheduleError(RULE_HELP)
    parts = {}
    for chunk in text.removeprefix("RRULE:").split(";"):
        match = PART.fullmatch(chunk)
        if match is None or match[1] not in PARTS or match[1] in parts:
            raise ScheduleError(RULE_HELP)
        parts[match[1]] = match[2]
    if parts.get("FREQ") not in FREQUENCIES or ("COUNT" in parts and "UNTIL" in parts):
        raise ScheduleError(RULE_HELP)
    for name, most in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_OCCURRENCES)):
        value = parts.get(name, "1")
        if not (value.isdigit() and len(value) <= 4 and 1 <= int(value) <= most):
            raise ScheduleError(RULE_HELP)
    return parts


def _read_until(value):
    """UNTIL as a naive local time: a date alone means the end of that day.

    A trailing Z (UTC) is read as the team's own time, as the rest of the rule is.
    """
    match = UNTIL.fullmatch(value)
    if match is None:
        raise ScheduleError(RULE_HELP)
    try:
        return datetime.strptime(match[1] + (match[2] or "235959"), "%Y%m%d%H%M%S")
    except ValueError:
        raise ScheduleError(RULE_HELP) from None


def _calendar_shape(year):
    """What dateutil's expansion of a horizon starting in ``year`` depends on: the weekday
    of 1 January of the year before, and which of the years around it are leap years."""
    return date(year - 1, 1, 1).weekday(), tuple(calendar.isleap(year + n) for n in range(-1, 4))


@functools.cache
def _twin_offset(year):
    """Years to add to ``year`` to reach its latest calendar twin near 9999 (0 if none).

    Within any 400 years there is one (the Gregorian calendar repeats every 400 years),
    and usually one within 28.
    """
    if not 2 <= year < LATEST_TWIN:
        return 0
    shape = _calendar_shape(year)
    for twin in range(LATEST_TWIN, max(year, LATEST_TWIN - 400), -1):
        if _calendar_shape(twin) == shape:
            return twin - year
    return 0


def _years_later(moment, years):
    return moment.replace(year=moment.year + years)


def expand(local_start, rule_text, tz_name, *, until=None):
    """UTC starts of every occurrence: local wall-clock times in the zone, converted.

    Occurrences run from ``local_start`` up to HORIZON_DAYS later, or ``until`` (a date,
    inclusive), or the rule's own UNTIL, whichever comes first. Raises ScheduleError for a
    rule that cannot be read (RULE_HELP), one giving no sessions or more than
    MAX_OCCURRENCES, and NonexistentTime when the start, or any occurrence of the rule,
    falls in the hour the clocks skip in spring: the whole series is refused, naming that
    date, rather than one session moved silently. An ambiguous autumn time takes its first
    (summer-time) reading.
    """
    if not (rule_text or "").strip():
        return [local_to_utc(local_start, tz_name)]
    parts = read_rule(rule_text)
    last = local_start + timedelta(days=HORIZON_DAYS)
    if until is not None:
        last = min(last, datetime.combine(until, time.max))
    if "UNTIL" in parts:
        last = min(last, _read_until(parts.pop("UNTIL")))
    if last < local_start:
        raise ScheduleError(NO_SESSIONS)
    # Expand in the calendar twin near 9999, so dateutil runs out of calendar soon after
    # the horizon even when the rule never matches; every kept date is moved back.
    offset = _twin_offset(local_start.year)
    twin_last = _years_later(last, offset)
    try:
        rule = dateutil_rrule.rrulestr(
            ";".join(f"{name}={value}" for name, value in parts.items()),
            dtstart=_years_later(local_start, offset),
        )
        if "COUNT" not in parts:
            rule = rule.replace(until=twin_last)
        starts = []
        for occurrence in rule:
            if occurrence > twin_last:
                break
            starts.append(_years_later(occurrence, -offset))
            if len(starts) > MAX_OCCURRENCES:
                raise ScheduleError(TOO_MANY)
    except ScheduleError:
        raise
    except (ValueError, TypeError, OverflowError, IndexError, KeyError):
        raise ScheduleError(RULE_HELP) from None
    if not starts:
        raise ScheduleError(NO_SESSIONS)
    return [local_to_utc(start, tz_name) for start in starts]
