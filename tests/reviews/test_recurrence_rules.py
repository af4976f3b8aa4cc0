"""Recurrence rules from the schedule form: what is refused, in what words, and how fast.

A rule is typed by a person, so it is untrusted input: it must never hold a worker
(sub-daily frequencies, rules that never match, huge intervals), never show a Python
message, and never answer 500.
"""

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil import rrule as dateutil_rrule
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from learning_hub.core.extensions import db
from learning_hub.reviews import services
from learning_hub.reviews.models import ReviewSession

START = datetime(2026, 12, 1, 10, 0)
LONDON = "Europe/London"
HELP = "Enter a rule like FREQ=MONTHLY;BYDAY=2TU, or choose a simpler repeat"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;COUNT=5",
        "FREQ=HOURLY;INTERVAL=24",
        "FREQ=DAILY;BYHOUR=9,10,11",
        "FREQ=DAILY;BYMINUTE=0,30",
        "FREQ=WEEKLY;BYSECOND=1",
    ],
)
def test_rules_more_often_than_daily_are_refused(rule):
    """Are secondly, minutely and hourly rules (and BYHOUR and the like) refused plainly?"""
    with pytest.raises(services.ScheduleError) as refused:
        services.expand(START, rule, LONDON)
    assert str(refused.value) == HELP


@pytest.mark.parametrize(
    "rule",
    [
        "DTSTART:20261201T100000\nRRULE:FREQ=WEEKLY",
        "RRULE:FREQ=WEEKLY\nEXDATE:20261208T100000",
        "FREQ=WEEKLY\r\nRDATE:20261209T100000",
        "RRULE:FREQ=WEEKLY\nEXRULE:FREQ=MONTHLY",
        "EXRULE:FREQ=MONTHLY",
        "DTSTART:20261201T100000",
        "RDATE:20261209T100000",
        "RRULE:RRULE:FREQ=WEEKLY",
        "FREQ=WEEKLY;FREQ=DAILY",
    ],
)
def test_only_one_rrule_line_is_accepted(rule):
    """Are DTSTART, RDATE, EXDATE and EXRULE lines, and anything on two lines, refused?"""
    with pytest.raises(services.ScheduleError) as refused:
        services.expand(START, rule, LONDON)
    assert str(refused.value) == HELP


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=-2",
        "FREQ=DAILY;INTERVAL=0;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=WEEKLY;INTERVAL=99999999999999999999",
        "FREQ=WEEKLY;BYDAY=0MO",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=MONTHLY;BYSETPOS=0;BYDAY=MO",
        "FREQ=WEEKLY;UNTIL=notadate",
        "FREQ=WEEKLY;UNTIL=20270231",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270101",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;COUNT=100000000000",
        "FREQ=WEEKLY;BYEASTER=0",
        "FREQ=WEEKLY;WKST=XX",
        "INTERVAL=2",
        "FREQ=WEEKLY;BYMONTH=",
        "FREQ=WEEKLY;;",
        "FREQ=WEEKLY;BYMONTH=1,,2",
        "x" * 301,
    ],
)
def test_invalid_rules_get_the_plain_message_not_a_python_one(rule):
    """Is every rule dateutil or the checks refuse answered in the same plain words?"""
    with pytest.raises(services.ScheduleError) as refused:
        services.expand(START, rule, LONDON)
    assert str(refused.value) == HELP


NEVER = [
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2,4,6,9,11",
    "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
    "FREQ=DAILY;BYWEEKNO=53;BYMONTH=6",
    "FREQ=DAILY;BYSETPOS=2",
    "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
    "FREQ=DAILY;BYMONTH=13",
    "FREQ=DAILY;BYMONTHDAY=32",
    "FREQ=DAILY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO,TU,WE,TH,FR,SA,SU",
]


@pytest.mark.parametrize("rule", NEVER)
def test_a_rule_that_never_matches_is_refused_at_once(rule):
    """Does a rule that can never match answer quickly (well inside a second), not hang?"""
    began = time.perf_counter()
    with pytest.raises(services.ScheduleError, match="no sessions at all"):
        services.expand(START, rule, LONDON)
    assert time.perf_counter() - began < 1.0  # about 10-60 ms; minutes before the bound


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY;INTERVAL=1000", "FREQ=YEARLY;INTERVAL=1000", "FREQ=WEEKLY;COUNT=1"]
)
def test_a_huge_interval_gives_one_session_quickly(rule):
    """Does the largest interval allowed give its one session without a long search?"""
    began = time.perf_counter()
    assert services.expand(START, rule, LONDON) == [datetime(2026, 12, 1, 10, 0, tzinfo=UTC)]
    assert time.perf_counter() - began < 1.0


def plain_dateutil(start, rule, horizon):
    """What dateutil itself gives for ``rule`` up to ``horizon``, unbounded: the reference."""
    occurrences = []
    for occurrence in dateutil_rrule.rrulestr(rule, dtstart=start, ignoretz=True):
        if occurrence > horizon:
            break
        occurrences.append(occurrence)
    return occurrences


SOMETIMES = [
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
    "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
    "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;WKST=SU",
    "FREQ=YEARLY;BYYEARDAY=1,-1",
    "FREQ=YEARLY;BYYEARDAY=366",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH",
    "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU",
    "FREQ=DAILY;INTERVAL=10",
    "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
]


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(
    rule=st.sampled_from(SOMETIMES),
    day=st.dates(date(2016, 1, 1), date(2036, 12, 31)),
)
def test_bounded_expansion_gives_what_dateutil_gives(rule, day):
    """Within the horizon, are the sessions exactly those plain dateutil would give?"""
    start = datetime.combine(day, START.time())
    horizon = start + timedelta(days=services.HORIZON_DAYS)
    expected = plain_dateutil(start, rule, horizon)
    try:
        got = services.expand(start, rule, "UTC")
    except services.ScheduleError as refused:
        assert not expected and "no sessions" in str(refused)
    else:
        assert got == [e.replace(tzinfo=UTC) for e in expected]


def test_the_rules_own_until_and_count_are_kept():
    """Do UNTIL and COUNT in a custom rule still end the series where they say?"""
    until = services.expand(START, "FREQ=WEEKLY;UNTIL=20261222T235959", "UTC")
    assert [s.day for s in until] == [1, 8, 15, 22]
    counted = services.expand(START, "RRULE:freq=monthly;byday=2tu;count=3", "UTC")
    assert [s.date() for s in counted] == [date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]


# -- arbitrary input ---------------------------------------------------------------------

NAMES = [
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
    "BYHOUR",
    "BYEASTER",
    "DTSTART",
]
VALUES = st.one_of(
    st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MO", "2TU", "-1FR"]),
    st.integers(-(10**6), 10**6).map(str),
    st.lists(st.integers(-400, 400).map(str), min_size=1, max_size=6).map(",".join),
    st.sampled_from(["20270101", "20270101T100000Z", "99991231T235959", "0", ""]),
    st.text(max_size=12),
)
rule_like = st.lists(
    st.tuples(st.sampled_from(NAMES), VALUES).map("=".join), min_size=1, max_size=7
).map(";".join)
anything = st.one_of(st.text(max_size=80), rule_like, rule_like.map("RRULE:".__add__))


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(rule=anything, day=st.dates(date(2016, 1, 1), date(2036, 12, 31)))
def test_arbitrary_rules_give_sessions_or_a_schedule_error(rule, day):
    """Whatever text is sent as a rule, is the answer sessions or a ScheduleError, quickly?"""
    start = datetime.combine(day, START.time())
    began = time.perf_counter()
    try:
        starts = services.expand(start, rule, LONDON)
    except services.ScheduleError as refused:
        assert "valid:" not in str(refused)
    else:
        assert 1 <= len(starts) <= services.MAX_OCCURRENCES
        assert starts == sorted(starts) and all(s.tzinfo is UTC for s in starts)
    assert time.perf_counter() - began < 1.0


# -- through the form --------------------------------------------------------------------


def schedule_data(**overrides):
    return {
        "title": "Team reflection",
        "start_on": (date.today() + timedelta(days=7)).isoformat(),
        "start_time": "10:00",
        "duration": 90,
        "location": "Room 2",
        "repeat": "custom",
        "custom_rule": "",
        "until": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=MINUTELY", HELP),
        ("FREQ=WEEKLY;BYDAY=XX", HELP),
        # A second line is refused by the form's one-line check before the rule is read.
        ("FREQ=WEEKLY\nEXDATE:20270101T100000", "Custom rule must be on one line"),
    ],
)
def test_the_schedule_form_refuses_a_bad_rule_beside_the_field(client_for, world, rule, message):
    """Is a bad custom rule a 400 with a plain message beside it and the rule kept?"""
    client = client_for("facilitator")
    response = client.post(
        f"/teams/{world.north.id}/sessions/new",
        data=schedule_data(custom_rule=rule, title="Keep this title"),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body and "not valid" not in body and "Keep this title" in body
    assert "FREQ=" in body.split('name="custom_rule"')[1].split(">")[0]  # the rule is kept
    assert db.session.scalar(db.select(db.func.count(ReviewSession.id))) == 0


def test_a_never_matching_rule_through_the_form_answers_quickly(client_for, world):
    """Does the form answer a rule that never matches with a 400 within two seconds?"""
    client = client_for("facilitator")
    url = f"/teams/{world.north.id}/sessions/new"
    client.post(url, data=schedule_data(custom_rule="FREQ=DAILY"))  # warm up
    began = time.perf_counter()
    response = client.post(
        url, data=schedule_data(custom_rule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31")
    )
    assert time.perf_counter() - began < 2.0  # the whole request; it took 16 s before
    assert response.status_code == 400 and b"no sessions at all" in response.data


# The rule's own messages, and the form's one-line check (SingleLine) for line breaks.
PLAIN = (
    HELP,
    "no sessions at all",
    "more than 500",
    "does not exist in",
    "null character",
    "must be on one line",
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rule=anything)
@example(rule="0\x1e")  # a record separator: a line break to the one-line check
def test_arbitrary_rules_through_the_form_are_a_redirect_or_a_plain_400(client_for, world, rule):
    """Whatever is typed as a custom rule, is the answer a redirect or a plain-English 400?"""
    client = client_for("facilitator")
    response = client.post(
        f"/teams/{world.north.id}/sessions/new", data=schedule_data(custom_rule=rule)
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400 and rule.strip():
        body = response.get_data(as_text=True)
        assert any(message in body for message in PLAIN) or "characters" in body, rule
