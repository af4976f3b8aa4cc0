"""The spell-of-disengagement rule and the suggested pattern (cases/spells.py)."""

from datetime import date, timedelta

from learning_hub.cases.spells import find_spells, suggest_pattern

START = date(2026, 1, 5)
TODAY = date(2026, 6, 1)


def history(*steps):
    """(days after START, outcome) -> (date, outcome)."""
    return [(START + timedelta(days=d), outcome) for d, outcome in steps]


def test_steady_attendance_has_no_spell():
    """Does regular contact with the odd missed session produce no spell?"""
    entries = history(
        (0, "attended"), (7, "attended"), (14, "missed"), (21, "attended"), (28, "attended")
    )
    assert find_spells(entries, TODAY) == []
    assert suggest_pattern(entries, []) == "steady"


def test_a_spell_starts_at_the_first_failed_attempt_and_ends_at_contact():
    """Is a three-week run of failed attempts a spell from its first failure to contact?"""
    entries = history(
        (0, "attended"), (7, "no-answer"), (14, "missed"), (21, "no-answer"), (35, "reached")
    )
    [spell] = find_spells(entries, TODAY)
    assert spell.start == START + timedelta(days=7)
    assert spell.end == START + timedelta(days=35)
    assert spell.attempts == 3 and spell.days(TODAY) == 28


def test_short_gaps_or_single_misses_are_not_spells():
    """Are one failed attempt, or failures over less than 21 days, left alone?"""
    one_miss = history((0, "attended"), (7, "missed"), (40, "attended"))
    quick = history((0, "attended"), (3, "missed"), (6, "no-answer"), (10, "attended"))
    assert find_spells(one_miss, TODAY) == []
    assert find_spells(quick, TODAY) == []


def test_ongoing_spell_and_dropped_out_pattern():
    """After steady contact, does an unanswered run to today read as dropped out?"""
    entries = history(
        (0, "attended"),
        (7, "attended"),
        (14, "attended"),
        (30, "no-answer"),
        (40, "missed"),
        (50, "no-answer"),
    )
    spells = find_spells(entries, TODAY)
    assert len(spells) == 1 and spells[0].is_ongoing
    assert spells[0].days(TODAY) == (TODAY - (START + timedelta(days=30))).days
    assert suggest_pattern(entries, spells) == "dropped-out"


def test_never_in_contact_is_a_non_starter():
    """Is a referral that never led to contact a non-starter?"""
    entries = history((0, "no-answer"), (5, "missed"), (12, "cancelled"))
    assert suggest_pattern(entries, find_spells(entries, TODAY)) == "non-starter"


def test_repeated_spells_are_sporadic():
    """Are two spells separated by contact read as sporadic?"""
    entries = history(
        (0, "attended"),
        (10, "missed"),
        (20, "no-answer"),
        (35, "attended"),
        (45, "missed"),
        (60, "no-answer"),
        (75, "attended"),
    )
    spells = find_spells(entries, TODAY)
    assert len(spells) == 2
    assert suggest_pattern(entries, spells) == "sporadic"


def test_custody_and_other_outcomes_neither_make_nor_break_contact():
    """Does a return to custody leave the run of failed attempts unbroken?"""
    entries = history(
        (0, "attended"),
        (5, "missed"),
        (12, "returned-to-custody"),
        (30, "no-answer"),
        (60, "reached"),
    )
    [spell] = find_spells(entries, TODAY)
    assert spell.attempts == 2 and spell.end == START + timedelta(days=60)


def test_too_little_history_gives_no_suggestion():
    """With fewer than three entries, is there no suggested pattern?"""
    entries = history((0, "attended"), (7, "missed"))
    assert suggest_pattern(entries, []) is None


def test_thresholds_are_configurable():
    """Do other thresholds change what counts as a spell?"""
    entries = history((0, "attended"), (3, "missed"), (10, "attended"))
    assert find_spells(entries, TODAY, min_attempts=1, min_days=7)
