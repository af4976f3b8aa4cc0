"""Spells of disengagement and the suggested pattern, derived from a case's timeline.

The rule (also shown on the case page):

* **Contact** is an entry whose outcome is *attended* or *reached*. A **failed
  attempt** is *missed*, *cancelled* or *no answer*. Other outcomes (a return to
  custody, "other") neither make nor break contact.
* A **spell of disengagement** is a run of entries with no contact, holding at
  least ``min_attempts`` (2) failed attempts, that lasts at least ``min_days``
  (21) from its first failed attempt until contact resumes, or until today when
  it has not. It starts on the date of that first failed attempt and ends on
  the date of the next contact; without one it is *ongoing*.
* The **suggested pattern**: *non-starter* when there has never been contact
  after at least two failed attempts; *dropped out* when a spell is ongoing
  after at least three contacts; *sporadic* with two or more spells or when at
  least 40% of attempts fail; *steady* otherwise. With fewer than three entries
  there is no suggestion yet. The worker confirms or changes it.
"""

from dataclasses import dataclass
from datetime import date

CONTACT = {"attended", "reached"}
FAILED = {"missed", "cancelled", "no-answer"}


@dataclass(frozen=True)
class Spell:
    start: date
    end: date | None  # None: ongoing
    attempts: int

    def days(self, today):
        return ((self.end or today) - self.start).days

    @property
    def is_ongoing(self):
        return self.end is None


def find_spells(entries, today, *, min_attempts=2, min_days=21):
    """Spells from ``entries``: (occurred_on, outcome value) pairs in date order."""
    spells, start, attempts = [], None, 0
    for occurred_on, outcome in entries:
        if outcome in CONTACT:
            if (
                start is not None
                and attempts >= min_attempts
                and (occurred_on - start).days >= min_days
            ):
                spells.append(Spell(start, occurred_on, attempts))
            start, attempts = None, 0
        elif outcome in FAILED:
            if start is None:
                start = occurred_on
            attempts += 1
    if start is not None and attempts >= min_attempts and (today - start).days >= min_days:
        spells.append(Spell(start, None, attempts))
    return spells


def suggest_pattern(entries, spells):
    """The pattern the history suggests, or None while it is too short to say."""
    if len(entries) < 3:
        return None
    outcomes = [outcome for _, outcome in entries]
    contacts = sum(o in CONTACT for o in outcomes)
    failed = sum(o in FAILED for o in outcomes)
    if contacts == 0:
        return "non-starter" if failed >= 2 else None
    if spells and spells[-1].is_ongoing and contacts >= 3:
        return "dropped-out"
    if len(spells) >= 2 or (contacts + failed and failed / (contacts + failed) >= 0.4):
        return "sporadic"
    return "steady"
