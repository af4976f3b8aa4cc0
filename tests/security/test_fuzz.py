"""Arbitrary input through every form, out-of-range values, and bodies that are too large.

Property-based (hypothesis): whatever a person or a script sends, a form answers with a
refusal or a redirect, never a crash (500). Out-of-range values are refused with a
message beside the field, and what was typed comes back in the form.
"""

import html
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import encode_multipart

from learning_hub.selfchecks.forms import RATING_ERROR, item_field_name

ALLOWED = {200, 302, 400, 403, 404, 409, 413}
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)

# Text a person could paste, and text only a script would send.
control = st.text(st.characters(min_codepoint=0, max_codepoint=31), max_size=40)
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
long_text = st.builds(
    lambda c, n: c * n, st.sampled_from("x\u00e9\U0001f600\u202e<"), st.integers(0, 30_000)
)
numberish = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0x10", "1e9", "٣", "²", "-0", "+5", "NaN", "9" * 400]),
)
dateish = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["", "2026-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "tomorrow"]),
    st.text(max_size=12),
)
hostile = st.one_of(unicode_text, control, long_text, numberish, dateish)


def forms(world, place):
    """(label, role, URL, valid values) for every form that posts text."""
    north, case, item = world.north.id, place["case"], place["item"]
    module, prompt = place["module"], place["prompt"]
    session = place["session"]
    today = date.today().isoformat()
    soon = (date.today() + timedelta(days=7)).isoformat()
    return [
        ("login", None, "/login", {"email": "staff@example.org", "password": "x"}),
        (
            "account",
            "staff",
            "/account",
            {"current_password": "x", "password": "y", "confirm": "y"},
        ),
        (
            "reflection",
            "staff",
            f"/modules/{module.slug}/prompts/{prompt.id}",
            {f"{prompt.id}-body": "A thought.", f"{prompt.id}-share_team_id": "0"},
        ),
        ("reflection edit", "staff", f"/reflections/{place['reflection'].id}/edit", {"body": "x"}),
        (
            "reflection sharing",
            "staff",
            f"/reflections/{place['reflection'].id}/sharing",
            {"share_team_id": str(north)},
        ),
        (
            "response",
            "facilitator",
            f"/reflections/{place['reflection'].id}/responses",
            {"body": "Thanks."},
        ),
        (
            "goal",
            "staff",
            "/learning/goals/new",
            {"description": "Listen more.", "target_on": soon, "share_team_id": "0"},
        ),
        ("goal status", "staff", f"/learning/goals/{place['goal'].id}/status", {"status": "done"}),
        (
            "case",
            "staff",
            f"/teams/{north}/cases/new",
            {"gender": "female", "age_band": "25-34", "context": "Referred."},
        ),
        (
            "case edit",
            "staff",
            f"/cases/{case.id}/edit",
            {"gender": "male", "age_band": "", "context": "Moved."},
        ),
        (
            "entry",
            "staff",
            f"/cases/{case.id}/entries",
            {
                "occurred_on": today,
                "method": "phone",
                "initiated_by": "worker",
                "outcome": "reached",
                "note": "Short call.",
            },
        ),
        ("pattern", "staff", f"/cases/{case.id}/pattern", {"pattern": ""}),
        (
            "trigger",
            "staff",
            f"/cases/{case.id}/triggers",
            {"kind": "feelings", "description": "Letters."},
        ),
        (
            "plan",
            "staff",
            f"/cases/{case.id}/plan",
            {
                "made_with_person": "yes",
                "preferred_times": "Afternoons.",
                "preferred_methods": "text",
                "others_may_contact": "",
                "during_disengagement": "A text a week.",
                "reminders": "",
                "agreed_on": today,
                "review_on": soon,
            },
        ),
        (
            "case reflection",
            "staff",
            f"/cases/{case.id}/reflections/new",
            {
                "identify": "Patchy.",
                "analyse": "Letters.",
                "plan": "Texts.",
                "feelings": "frustration",
                "other_feeling": "",
            },
        ),
        (
            "case response",
            "facilitator",
            f"/cases/{case.id}/reflections/{place['case_reflection'].id}",
            {"body": "Agreed."},
        ),
        (
            "schedule",
            "facilitator",
            f"/teams/{north}/sessions/new",
            {
                "title": "Team reflection",
                "start_on": soon,
                "start_time": "10:00",
                "duration": "90",
                "location": "Room 2",
                "repeat": "",
                "custom_rule": "",
                "until": "",
            },
        ),
        (
            "move",
            "facilitator",
            f"/sessions/{session.id}/move",
            {"start_on": soon, "start_time": "11:00", "duration": "60"},
        ),
        (
            "agenda",
            "staff",
            f"/sessions/{session.id}/agenda",
            {
                "kind": "system-question",
                "title": "Rules.",
                "timebox": "10",
                "case_id": "0",
                "case_reflection_id": "0",
                "module_slug": "",
                "reflection_id": "0",
            },
        ),
        (
            "agenda move",
            "facilitator",
            f"/sessions/{session.id}/agenda/{item.id}/move",
            {"direction": "down"},
        ),
        (
            "notes",
            "facilitator",
            f"/sessions/{session.id}/agenda/{item.id}/notes",
            {
                f"item{item.id}-notes": "Said.",
                f"item{item.id}-decisions": "",
                f"item{item.id}-version": "1",
            },
        ),
        (
            "action",
            "facilitator",
            f"/sessions/{session.id}/agenda/{item.id}/actions",
            {
                f"action{item.id}-description": "Reword.",
                f"action{item.id}-owner_id": str(world.staff.id),
                f"action{item.id}-due_on": soon,
            },
        ),
        ("action done", "staff", f"/actions/{place['action'].id}/done", {"note": "", "next": "/"}),
        ("selfcheck", "staff", "/selfcheck/take", place["selfcheck"]),
        (
            "selfcheck share",
            "staff",
            f"/selfcheck/{place['check'].id}/share",
            {"team_id": str(north)},
        ),
        ("cadence", "facilitator", f"/teams/{north}/fidelity/cadence", {"weeks": "4"}),
        (
            "invite",
            "admin",
            "/admin/people/invite",
            {
                "email": "new.person@example.org",
                "display_name": "New Person",
                "role": "staff",
                "team_id": "0",
                "team_role": "member",
            },
        ),
        ("role", "admin", f"/admin/people/{world.outsider.id}/role", {"role": "staff"}),
        (
            "team",
            "admin",
            "/admin/teams/new",
            {"name": "West", "description": "", "timezone": "Europe/London"},
        ),
        (
            "team edit",
            "admin",
            f"/admin/teams/{world.south.id}",
            {"name": "South", "description": "", "timezone": "Europe/Paris"},
        ),
        (
            "membership",
            "admin",
            f"/admin/teams/{north}/members",
            {"email": "outsider@example.org", "role": "member"},
        ),
        ("purge", "admin", "/admin/cases/purge", {"code": "NOPE", "reason": "Duplicate."}),
        ("invitation", None, f"/invitation/{place['token']}", {"password": "x", "confirm": "x"}),
    ]


def _form_ids():
    return [
        "login", "account", "reflection", "reflection edit", "reflection sharing", "response",
        "goal", "goal status", "case", "case edit", "entry", "pattern", "trigger", "plan",
        "case reflection", "case response", "schedule", "move", "agenda", "agenda move",
        "notes", "action", "action done", "selfcheck", "selfcheck share", "cadence", "invite",
        "role", "team", "team edit", "membership", "purge", "invitation",
    ]  # fmt: skip


def _the_form(world, place, label):
    return next(f for f in forms(world, place) if f[0] == label)


def test_every_form_is_fuzzed(world, place):
    """Does the fuzz list name every form in the table?"""
    assert [f[0] for f in forms(world, place)] == _form_ids()


@pytest.mark.parametrize("label", _form_ids())
def test_arbitrary_input_never_crashes_a_form(app, world, place, clients, label):
    """Does any mix of valid and hostile values in a form's fields avoid a 500?"""
    _label, role, url, valid = _the_form(world, place, label)
    client = clients[role]
    names = sorted(valid)
    values = st.fixed_dictionaries({n: st.one_of(st.just(valid[n]), hostile) for n in names})

    @FUZZ
    @given(data=values)
    def run(data):
        response = client.post(url, data=data)
        assert response.status_code in ALLOWED, (label, data, response.status_code)

    run()


@FUZZ
@given(raw=st.binary(max_size=300))
def test_raw_bytes_never_crash_a_form(app, world, place, clients, raw):
    """Do bodies of arbitrary bytes, invalid UTF-8 included, avoid a 500?"""
    for label in ("login", "reflection", "case reflection", "schedule"):
        _label, role, url, _valid = _the_form(world, place, label)
        response = clients[role].post(
            url, data=raw, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in ALLOWED, (label, raw, response.status_code)


PAGED = [
    ("staff", "/learning"),
    ("staff", "/teams/{north}/reflections"),
    ("staff", "/teams/{north}/cases"),
    ("staff", "/teams/{north}/sessions"),
    ("staff", "/reflections/{reflection}"),
    ("staff", "/cases/{case}"),
    ("staff", "/cases/{case}/access"),
    ("staff", "/cases/{case}/reflections/{case_reflection}"),
    ("admin", "/admin/"),
    ("admin", "/admin/audit"),
]


def _paged_urls(world, place):
    ids = {
        "north": world.north.id,
        "reflection": place["reflection"].id,
        "case": place["case"].id,
        "case_reflection": place["case_reflection"].id,
    }
    return [(role, url.format(**ids)) for role, url in PAGED]


@pytest.mark.parametrize("page", ["-1", "0", "abc", str(10**30), str(2**63), "1.5", "%00", "٣"])
def test_impossible_page_numbers_are_refused(app, world, place, clients, page):
    """Is ?page= that is not a page number refused (400), on every paginated list?"""
    for role, url in _paged_urls(world, place):
        response = clients[role].get(f"{url}?page={page}")
        assert response.status_code == 400, (url, page, response.status_code)
        assert "page number" in response.get_data(as_text=True).lower(), url


@FUZZ
@given(page=st.one_of(st.integers(-(10**20), 10**20).map(str), st.text(max_size=20)))
def test_any_page_argument_never_crashes_a_list(app, world, place, clients, page):
    """Does any ?page= value give a page or a refusal, never a 500?"""
    for role, url in _paged_urls(world, place):
        response = clients[role].get(url, query_string={"page": page})
        assert response.status_code in {200, 400}, (url, page, response.status_code)


def test_real_page_numbers_still_work(app, world, place, clients):
    """Do page 1, a page past the end and no page at all still answer 200?"""
    for role, url in _paged_urls(world, place):
        for query in ("", "?page=1", "?page=999"):
            assert clients[role].get(url + query).status_code == 200, url + query


def field_error(response, field_id):
    """The message shown beside the field ``field_id``, or None."""
    page = response.get_data(as_text=True)
    found = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="field-error">(.*?)</p>', page, re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None


def typed_value_kept(response, field_id, value):
    page = response.get_data(as_text=True)
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    return tag is not None and f'value="{html.escape(value)}"' in tag.group()


OUT_OF_RANGE = [
    ("schedule", "duration", ["14", "481", "-5", "0", str(10**30)], "between 15 minutes"),
    ("schedule", "duration", ["abc", "90.5", "1e5"], "whole number"),
    ("schedule", "start_on", ["2026-02-30", "tomorrow", "99999-01-01"], "date"),
    ("schedule", "start_on", ["9999-12-31", "0001-01-01"], "within"),
    ("schedule", "until", ["2026-13-01"], "date"),
    ("schedule", "start_time", ["25:00", "noon"], "time"),
    ("schedule", "repeat", ["yearly"], "not a valid choice"),
    ("move", "duration", ["5", "10000"], "between 15 minutes"),
    ("move", "start_on", ["9999-12-31"], "within"),
    ("agenda", "timebox", ["0", "241", "-1"], "between 1 and 240"),
    ("agenda", "timebox", ["ten"], "whole number"),
    ("agenda", "kind", ["everything"], "not a valid choice"),
    ("goal", "target_on", ["2026-02-30"], "date"),
    ("goal", "target_on", ["9999-12-31"], "within"),
    ("entry", "occurred_on", ["2026-02-30"], "date"),
    ("entry", "occurred_on", ["0001-01-01"], "within"),
    ("entry", "method", ["pigeon"], "not a valid choice"),
    ("plan", "agreed_on", ["someday"], "date"),
    ("action", "due_on", ["9999-12-31"], "within"),
    ("case", "age_band", ["150-160"], "not a valid choice"),
    ("team", "timezone", ["Mars/Olympus_Mons"], "not a valid choice"),
    ("invite", "role", ["emperor"], "not a valid choice"),
]


def _field_id(valid, name):
    """The id WTForms gives a field: its name with any prefix (prefixes end with '-')."""
    return next(key for key in valid if key == name or key.endswith(f"-{name}"))


@pytest.mark.parametrize(("label", "name", "values", "says"), OUT_OF_RANGE)
def test_out_of_range_values_are_refused_beside_the_field(
    app, world, place, clients, label, name, values, says
):
    """Is an out-of-range value refused (400) with a clear message beside its field?"""
    _label, role, url, valid = _the_form(world, place, label)
    field_id = _field_id(valid, name)
    for value in values:
        response = clients[role].post(url, data={**valid, field_id: value})
        assert response.status_code == 400, (label, name, value, response.status_code)
        message = field_error(response, field_id)
        assert message and says in message.lower(), (label, name, value, message)
        if name not in {"repeat", "kind", "method", "age_band", "timezone", "role"}:
            assert typed_value_kept(response, field_id, value), (label, name, value)


@FUZZ
@given(
    rating=st.one_of(
        st.integers().filter(lambda n: not 0 <= n <= 4).map(str),
        st.text(min_size=1, max_size=5).filter(
            lambda t: t.strip() not in {"0", "1", "2", "3", "4"}
        ),
    )
)
def test_ratings_outside_0_to_4_are_refused(app, world, place, clients, rating):
    """Is a self-check rating outside 0 to 4 refused beside its statement?"""
    instrument = app.extensions["content"].library.instrument
    first = item_field_name(instrument.items[0])
    data = {**place["selfcheck"], first: rating}
    response = clients["staff"].post("/selfcheck/take", data=data)
    assert response.status_code == 400, (rating, response.status_code)
    assert field_error_any(response, RATING_ERROR)


def field_error_any(response, message):
    return message in html.unescape(response.get_data(as_text=True))


# --- bodies that are too large ----------------------------------------------------------


def assert_plain_413(response):
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too large" in page.lower()
    assert re.search(r"Reference: <code>[0-9a-f]{6,}</code>", page), page[-600:]


TOO_LARGE_ROUTES = ["login", "reflection", "case reflection", "notes", "team", "invitation"]


@pytest.mark.parametrize("label", TOO_LARGE_ROUTES)
def test_a_body_over_the_limit_is_refused_with_413(app, world, place, clients, label):
    """Is a body over MAX_CONTENT_LENGTH refused with the 413 page, however it is encoded?"""
    _label, role, url, valid = _the_form(world, place, label)
    client = clients[role]
    limit = app.config["MAX_CONTENT_LENGTH"]
    text_field = next(n for n in valid if not n.endswith(("_id", "version", "role")))
    big = {**valid, text_field: "x" * (limit + 1)}
    assert_plain_413(client.post(url, data=big))
    boundary, body = encode_multipart(big)
    assert_plain_413(
        client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    )
    assert_plain_413(client.post(url, data=b"a=" + b"x" * limit, content_type="text/plain"))


def test_a_multipart_field_over_the_form_memory_limit_is_refused(app, world, place, clients):
    """Is one multipart field too large to hold in memory refused with 413, not a 500?"""
    _label, role, url, valid = _the_form(world, place, "reflection")
    boundary, body = encode_multipart({**valid, "extra": "y" * 600_000})
    response = clients[role].post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert_plain_413(response)


TOO_LONG = [
    ("reflection", "body", 20_000, "up to 20,000 characters"),
    ("response", "body", 20_000, "up to 20,000 characters"),
    ("goal", "description", 2_000, "up to 2,000 characters"),
    ("case", "context", 4_000, "4,000 characters"),
    ("entry", "note", 1_000, "1,000 characters"),
    ("trigger", "description", 500, "500 characters"),
    ("case reflection", "identify", 6_000, "6,000 characters"),
    ("case reflection", "other_feeling", 200, "200 characters"),
    ("case response", "body", 6_000, "6,000 characters"),
    ("schedule", "title", 120, "120 characters"),
    ("schedule", "location", 300, "300 characters"),
    ("agenda", "title", 300, "300 characters"),
    ("notes", "notes", 20_000, "20,000 characters"),
    ("notes", "decisions", 5_000, "5,000 characters"),
    ("action", "description", 500, "500 characters"),
    ("team", "name", 80, "80 characters"),
    ("team", "description", 500, "500 characters"),
    ("invite", "display_name", 120, "120 characters"),
    ("purge", "reason", 300, "300 characters"),
    ("login", "email", 254, "254 characters"),
]


@pytest.mark.parametrize(("label", "name", "limit", "says"), TOO_LONG)
def test_a_field_over_its_length_limit_is_refused_clearly(
    app, world, place, clients, label, name, limit, says
):
    """Is a field one character over its limit refused (400) with the limit beside it?"""
    _label, role, url, valid = _the_form(world, place, label)
    field_id = _field_id(valid, name)
    response = clients[role].post(url, data={**valid, field_id: "a" * (limit + 1)})
    assert response.status_code == 400, (label, name, response.status_code)
    message = field_error(response, field_id)
    assert message and says in message, (label, name, message)
