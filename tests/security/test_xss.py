"""Hostile text through every text field of every form, then every page that shows it.

Payloads are batched several to a request (as many as fit the field's limit, at most
``BATCH`` at a time, so that one unclosed tag cannot hide the payloads after it for
long). Payloads longer than a field's limit are sent alone: the refusal page shows
what was typed again, so it is checked too.
"""

import itertools
import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from learning_hub.cases.models import Case, CaseReflection
from learning_hub.core.extensions import db
from learning_hub.core.markdown import render
from learning_hub.modules.models import Reflection
from learning_hub.reviews.models import AgendaItem, ReviewSession
from learning_hub.selfchecks.forms import item_field_name, note_field_name
from tests import factories
from tests.security.xss_check import csp_problems, element_problems, problems
from tests.security.xss_payloads import PAYLOADS

BATCH = 10
_emails = itertools.count(1)


def storable(payload):
    """The payload as it can be stored: null characters are refused outright (400), so the
    payload is stored without them, which for "<scr\\x00ipt>" is a sharper test anyway."""
    return payload.replace("\x00", "")


def batches(limit, sep="\n\n", payloads=PAYLOADS):
    """Payloads joined into texts of at most ``limit`` characters and ``BATCH`` payloads."""
    current = []
    for payload in (storable(p) for p in payloads if len(storable(p)) <= limit):
        candidate = [*current, payload]
        if current and (len(sep.join(candidate)) > limit or len(candidate) > BATCH):
            yield sep.join(current)
            candidate = [payload]
        current = candidate
    if current:
        yield sep.join(current)


def plan_requests(fields, sep="\n\n"):
    """One form submission per step, as ``(texts, fits)``: field name to text.

    First every field gets its next batch (fields with fewer batches start again), so
    every text is stored; then each payload too long for a field, or holding a null
    character, is sent in it alone, the other fields holding plain words, and ``fits``
    is False: a refusal is expected.
    """
    streams = {name: list(batches(limit, sep)) for name, limit in fields.items()}
    for step in range(max(len(s) for s in streams.values())):
        yield {name: s[step % len(s)] for name, s in streams.items()}, True
    for name, limit in fields.items():
        for payload in (p for p in PAYLOADS if len(p) > limit or "\x00" in p):
            texts = dict.fromkeys(fields, "A plain note about the week.")
            texts[name] = payload
            yield texts, False


def check_page(client, url, status=200, *, thorough=True):
    """Fetch ``url`` and fail on anything executable in it."""
    response = client.get(url)
    assert response.status_code == status, f"GET {url}: {response.status_code}"
    assert_clean(response, url, thorough=thorough)
    return response


def assert_clean(response, label, *, thorough=False):
    """Fail on anything executable in the page (``thorough``: by both parsers)."""
    assert response.mimetype == "text/html", f"{label}: {response.mimetype}"
    assert not csp_problems(response.headers.get("Content-Security-Policy")), label
    found = problems(response.get_data(as_text=True), thorough=thorough)
    assert not found, f"{label}: {found}"


def error_messages(response):
    page = response.get_data(as_text=True)
    return re.findall(r'class="field-error">(.*?)</p>', page, re.S) or page[:2000]


def submit(client, url, data, fits, *, ok=302):
    """POST ``data``; a text within limits must be stored (``ok``), a longer one refused."""
    response = client.post(url, data=data)
    if fits:
        assert response.status_code == ok, (
            f"POST {url}: {response.status_code} {error_messages(response)}"
        )
    else:
        assert response.status_code == 400, f"POST {url} over the limit: {response.status_code}"
    if response.status_code != 302:
        assert_clean(response, f"POST {url} ({response.status_code})")
    return response


# Line breaks and control characters (not the null character, refused on its own): a
# one-line field refuses them, so its payloads are sent with spaces in their place.
_NOT_ONE_LINE = re.compile("[\x01-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text):
    return _NOT_ONE_LINE.sub(" ", text)


def run_form(
    client, url, fields, base=None, *, sep="\n\n", ok=302, after=None, prefix="", one_lines=()
):
    """Send every payload through every field of one form; ``after(response)`` checks pages.

    ``prefix`` starts every text, to keep them unique where a form refuses repeats;
    the fields named in ``one_lines`` get each payload on one line.
    """
    count = 0
    limits = {name: limit - len(prefix) for name, limit in fields.items()}
    for texts, fits in plan_requests(limits, sep):
        data = dict(base() if callable(base) else (base or {}))
        data.update({name: prefix + text for name, text in texts.items()})
        data.update({name: one_line(data[name]) for name in one_lines})
        response = submit(client, url, data, fits, ok=ok)
        count += 1
        if after is not None and response.status_code == 302:
            after(response)
        else:
            forget_flashes(client)
    return count


def forget_flashes(client):
    """Drop messages meant for the page after a redirect this test does not follow."""
    with client.session_transaction() as session:
        session.pop("_flashes", None)


@pytest.fixture
def place(app, world):
    """Objects of team North for the forms to write on."""
    library = app.extensions["content"].library
    module = next(iter(library))
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    case = factories.create_case(world.north, world.staff, entries=[(date.today(), "reached")])
    case_reflection = factories.create_case_reflection(case, world.staff)
    review = factories.create_review(world.north, world.facilitator)
    session = review.sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    return {
        "module": module,
        "prompt": module.prompts[0],
        "reflection": reflection,
        "case": case,
        "case_reflection": case_reflection,
        "session": session,
        "item": item,
    }


def test_corpus_is_large_and_distinct():
    """Does the corpus hold at least 100 distinct payloads of each family?"""
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for needle in ("<script", "onerror", "javascript:", "vbscript:", "data:text/html", "<svg"):
        assert any(needle in p.lower() for p in PAYLOADS), needle
    for needle in ("<math", "<iframe", "<object", "<embed", "<base", "http-equiv", "<noscript"):
        assert any(needle in p.lower() for p in PAYLOADS), needle
    assert any("](javascript" in p for p in PAYLOADS)
    assert any("\x00" in p for p in PAYLOADS)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        "<script src='https://evil.example/x.js'></script>",
        "<p><script>",
        "<img src=x onerror=alert(1)>",
        "<a href='jav&#x09;ascript:alert(1)'>x</a>",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "<a href=' \x01VBScript:x'>x</a>",
        "<a href='data:text/html,x'>x</a>",
        "<form action='javascript:alert(1)'></form>",
        "<form action='https://evil.example/'></form>",
        "<button formaction='//evil.example/'>x</button>",
        "<svg><a xlink:href='javascript:alert(1)'>x</a></svg>",
        "<svg onload=alert(1)>",
        "<math><mtext>x</mtext></math>",
        "<iframe src=/x></iframe>",
        "<object data=/x></object>",
        "<embed src=/x>",
        "<base href=/x/>",
        "<meta http-equiv=refresh content='0;url=/x'>",
        "<style>p{}</style>",
        "<p style='color:red'>x</p>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<link rel=stylesheet href=//evil.example/x.css>",
    ],
)
def test_checker_catches_known_bad_snippets(snippet):
    """Does the checker fail a page holding a known-bad snippet?"""
    page = f"<!doctype html><html><body><p>Before</p>{snippet}<p>After</p></body></html>"
    assert problems(page), snippet


def test_checker_passes_the_apps_own_markup():
    """Does the checker pass the app's own scripts, data images and same-site forms?"""
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<link rel=stylesheet href='/static/app.css?v=1'></head><body>"
        "<script src='/static/js/charts.js?v=1' defer></script>"
        "<img src='data:image/png;base64,AAAA' alt=''>"
        "<form method=post action='/login?next=%2F'><button>Log in</button></form>"
        "<a href='https://example.org' rel='nofollow'>out</a><a href='#main'>skip</a>"
        "<svg viewBox='0 0 9 9'><title>t</title><circle r=1><title>x</title></circle></svg>"
        "</body></html>"
    )
    assert problems(page) == []
    assert element_problems("img", [("src", "data:image/gif;base64,R0")]) == []
    assert element_problems("a", [("href", "data:image/gif;base64,R0")])


def test_csp_check_refuses_unsafe_inline():
    """Does the CSP check fail a policy that lets inline script run?"""
    assert csp_problems("default-src 'self'; script-src 'self' 'unsafe-inline'")
    assert csp_problems("")
    assert csp_problems("img-src 'self'")


def test_null_characters_are_refused_everywhere(app, world, client_for):
    """Is a null character in a form, a query or an address refused (400), not stored?"""
    staff = client_for(world.staff)
    for response in (
        staff.post("/learning/goals/new", data={"description": "Listen\x00 more."}),
        staff.get("/modules?q=a%00b"),
        staff.get("/modules/intro%00"),
        app.test_client().get("/calendar/team/abc%00.ics"),
    ):
        assert response.status_code == 400
        assert "null character" in response.get_data(as_text=True)
    assert staff.get("/learning").status_code == 200


def test_the_sites_policy_allows_no_inline_script(client):
    """Does the app's Content-Security-Policy refuse inline script, eval and plugins?"""
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert csp_problems(policy) == [], policy
    assert "unsafe-inline" not in policy


def test_every_payload_alone_through_the_pipeline_is_inert():
    """Is each payload, on its own, rendered by the Markdown pipeline without anything live?"""
    for payload in PAYLOADS:
        html = str(render(payload))
        assert problems(f"<p>{html}</p>") == [], (payload, html)
        assert "<script" not in html.lower(), payload


def test_links_to_other_sites_are_marked_nofollow_noopener():
    """Do protocol-relative links get the rel an external link gets, and a backslash one
    stay on this site?"""
    for text in ("[x](//evil.example/a)", "[x](https://example.org)"):
        assert 'rel="nofollow noopener noreferrer"' in str(render(text)), text
    assert "rel=" not in str(render("[x](/modules)"))
    # The parser percent-encodes a backslash, so "/\\evil.example" stays a path on this site.
    assert str(render("[x](/\\evil.example)")) == '<p><a href="/%5Cevil.example">x</a></p>'


def test_module_reflections_and_their_edit_show_nothing_executable(app, world, client_for, place):
    """Do reflections, their edits and responses show hostile text inert on every page?"""
    staff, facilitator = client_for(world.staff), client_for(world.facilitator)
    module, prompt, reflection = place["module"], place["prompt"], place["reflection"]
    prefix = prompt.id
    run_form(
        staff,
        f"/modules/{module.slug}/prompts/{prompt.id}",
        {f"{prefix}-body": 20_000},
        {f"{prefix}-share_team_id": world.north.id},
    )
    written = db.session.scalars(
        db.select(Reflection).where(Reflection.author_id == world.staff.id)
    )
    ids = [r.id for r in written]
    assert len(ids) > len(PAYLOADS) // BATCH

    def shows_edit(response):
        check_page(staff, f"/reflections/{reflection.id}")

    run_form(staff, f"/reflections/{reflection.id}/edit", {"body": 20_000}, after=shows_edit)
    run_form(facilitator, f"/reflections/{reflection.id}/responses", {"body": 20_000})
    for url in (
        f"/modules/{module.slug}",
        "/learning",
        "/learning?page=2",
        f"/teams/{world.north.id}/reflections",
        f"/teams/{world.north.id}/reflections?page=2",
        f"/reflections/{reflection.id}/edit",
        "/",
        *(f"/reflections/{i}" for i in ids),
    ):
        check_page(staff, url)
    for page in (1, 2):
        check_page(facilitator, f"/reflections/{reflection.id}?page={page}")


def test_goals_show_nothing_executable(app, world, client_for):
    """Do learning goals, new and edited, show hostile text inert?"""
    staff = client_for(world.staff)
    base = {"share_team_id": world.north.id, "principles": "autonomy"}
    run_form(staff, "/learning/goals/new", {"description": 2_000}, base)
    goal = factories.create_goal(world.staff, share_team=world.north)

    def shows(response):
        check_page(staff, "/learning")

    run_form(staff, f"/learning/goals/{goal.id}/edit", {"description": 2_000}, base, after=shows)
    check_page(staff, f"/learning/goals/{goal.id}/edit")
    check_page(client_for(world.facilitator), f"/teams/{world.north.id}/reflections")


def test_cases_and_everything_on_them_show_nothing_executable(app, world, client_for, place):
    """Do cases, entries, triggers, plans, case reflections and responses stay inert?"""
    staff, facilitator = client_for(world.staff), client_for(world.facilitator)
    case, case_reflection = place["case"], place["case_reflection"]
    new_cases = []
    run_form(
        staff,
        f"/teams/{world.north.id}/cases/new",
        {"context": 4_000},
        {"gender": "not-recorded", "age_band": ""},
        after=lambda r: new_cases.append(r.headers["Location"]),
    )
    run_form(
        staff,
        f"/cases/{case.id}/edit",
        {"context": 4_000},
        {"gender": "female", "age_band": "25-34"},
        after=lambda r: check_page(staff, f"/cases/{case.id}"),
    )
    run_form(
        staff,
        f"/cases/{case.id}/entries",
        {"note": 1_000},
        {
            "occurred_on": date.today().isoformat(),
            "method": "text",
            "initiated_by": "worker",
            "outcome": "missed",
        },
    )
    run_form(
        staff,
        f"/cases/{case.id}/triggers",
        {"description": 500},
        {"kind": "feelings"},
        sep=" ",
        one_lines=["description"],
    )
    run_form(
        staff,
        f"/cases/{case.id}/plan",
        {
            "preferred_times": 1_000,
            "others_may_contact": 1_000,
            "during_disengagement": 2_000,
            "reminders": 1_000,
        },
        {"made_with_person": "yes", "preferred_methods": "text", "agreed_on": "2026-01-05"},
        after=lambda r: check_page(staff, f"/cases/{case.id}/plan"),
    )
    run_form(
        facilitator,
        f"/cases/{case.id}/reflections/new",
        {"identify": 6_000, "analyse": 6_000, "plan": 6_000, "other_feeling": 200},
        one_lines=["other_feeling"],
    )
    run_form(
        staff,
        f"/cases/{case.id}/reflections/{case_reflection.id}",
        {"body": 6_000},
    )
    reflection_ids = db.session.scalars(
        db.select(CaseReflection.id).where(CaseReflection.case_id == case.id)
    ).all()
    for url in (
        f"/cases/{case.id}",
        f"/cases/{case.id}?page=2",
        f"/cases/{case.id}/plan?edit=1",
        f"/cases/{case.id}/edit",
        f"/cases/{case.id}/access",
        f"/teams/{world.north.id}/cases",
        f"/teams/{world.north.id}/cases?page=2",
        f"/teams/{world.north.id}/insights",
        "/",
        *new_cases,
        *(f"/cases/{case.id}/reflections/{i}" for i in reflection_ids),
        f"/cases/{case.id}/reflections/{case_reflection.id}?page=2",
    ):
        check_page(staff, url)
    check_page(facilitator, "/")
    export = staff.get(f"/cases/{case.id}/export")
    assert export.status_code == 200
    assert export.mimetype == "application/json"
    assert export.headers["X-Content-Type-Options"] == "nosniff"
    assert export.headers["Content-Disposition"].startswith("attachment")


def test_review_sessions_and_calendar_feeds_show_nothing_executable(app, world, client_for, place):
    """Do agenda items, notes, actions, schedules and the iCalendar feeds stay inert?"""
    staff, facilitator = client_for(world.staff), client_for(world.facilitator)
    session, item = place["session"], place["item"]
    run_form(
        staff,
        f"/sessions/{session.id}/agenda",
        {"title": 300},
        {"kind": "system-question", "timebox": "10"},
        one_lines=["title"],
        sep=" ",
    )

    def notes_base():
        db.session.expire_all()
        return {f"item{item.id}-version": str(db.session.get(AgendaItem, item.id).version)}

    run_form(
        facilitator,
        f"/sessions/{session.id}/agenda/{item.id}/notes",
        {f"item{item.id}-notes": 20_000, f"item{item.id}-decisions": 5_000},
        notes_base,
        after=lambda r: check_page(staff, f"/sessions/{session.id}/summary"),
    )
    run_form(
        facilitator,
        f"/sessions/{session.id}/agenda/{item.id}/actions",
        {f"action{item.id}-description": 500},
        {f"action{item.id}-owner_id": world.staff.id},
        one_lines=[f"action{item.id}-description"],
        sep=" ",
    )

    def fresh_action():
        action = factories.create_action(session, world.facilitator, world.staff)
        return {"next": f"/sessions/{session.id}", "_action": action.id}

    for texts, fits in plan_requests({"note": 500}, sep=" "):
        data = {**fresh_action(), **texts}
        action_id = data.pop("_action")
        response = staff.post(f"/actions/{action_id}/done", data=data)
        assert response.status_code == (400 if "\x00" in data["note"] else 302)
        if response.status_code == 302 and not fits:
            check_page(staff, response.headers["Location"])

    start = date.today() + timedelta(days=3)
    series_pages = []
    run_form(
        facilitator,
        f"/teams/{world.north.id}/sessions/new",
        {"title": 120, "location": 300},
        {
            "start_on": start.isoformat(),
            "start_time": "09:30",
            "duration": "60",
            "repeat": "",
        },
        sep=" ",
        one_lines=["title", "location"],
        after=lambda r: series_pages.append(r.headers["Location"]),
    )
    # A custom rule made of hostile text is refused, and the refusal shows it again.
    for text in batches(300, " "):
        response = facilitator.post(
            f"/teams/{world.north.id}/sessions/new",
            data={
                "title": "Team reflection",
                "start_on": start.isoformat(),
                "start_time": "09:30",
                "duration": "60",
                "repeat": "custom",
                "custom_rule": text,
            },
        )
        assert response.status_code == 400
        assert_clean(response, "custom rule refused")
    for url in (
        f"/sessions/{session.id}",
        f"/sessions/{session.id}/summary",
        f"/teams/{world.north.id}/sessions",
        f"/sessions/{session.id}/move",
        "/",
        *series_pages[:2],
    ):
        check_page(facilitator, url)
    for url in series_pages:  # plain text in these pages: html.parser is enough
        check_page(facilitator, f"{url}/summary", thorough=False)
    check_page(staff, "/")
    check_calendar_feeds(staff, facilitator, world)


def check_calendar_feeds(staff, facilitator, world):
    """The feeds are calendars, not pages: hostile titles must not add properties or events."""
    account = staff.get("/account").get_data(as_text=True)
    team_page = facilitator.get(f"/teams/{world.north.id}/sessions").get_data(as_text=True)
    person = re.search(r"/calendar/me/[^\"<\s]+\.ics", account).group()
    team = re.search(r"/calendar/team/[^\"<\s]+\.ics", team_page).group()
    sessions = db.session.scalar(
        db.select(db.func.count(ReviewSession.id)).where(ReviewSession.team_id == world.north.id)
    )
    allowed = {"UID", "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "SEQUENCE", "LOCATION", "STATUS"}
    for url in (person, team):
        response = staff.get(url)
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        calendar = Calendar.from_ical(response.data)
        events = calendar.walk("VEVENT")
        assert len(events) == sessions
        assert not calendar.walk("VALARM")
        for event in events:
            assert set(event.keys()) <= allowed, set(event.keys()) - allowed


def test_admin_forms_show_nothing_executable(app, world, client_for, place):
    """Do team names, descriptions, invited names and purge reasons stay inert?"""
    admin, staff = client_for(world.admin), client_for(world.staff)
    teams = []
    run_form(
        admin,
        "/admin/teams/new",
        {"name": 80, "description": 500},
        {"timezone": "Europe/London"},
        one_lines=["name"],
        sep=" ",
        after=lambda r: teams.append(r.headers["Location"]),
    )

    def shows_north(response):
        check_page(staff, f"/teams/{world.north.id}", thorough=False)

    run_form(
        admin,
        f"/admin/teams/{world.north.id}",
        {"name": 80, "description": 500},
        {"timezone": "Europe/London"},
        one_lines=["name"],
        sep=" ",
        after=shows_north,
        prefix="Renamed ",
    )
    people = []

    def invite_base():
        return {
            "email": f"invited{next(_emails)}@example.org",
            "role": "staff",
            "team_id": world.north.id,
            "team_role": "member",
        }

    run_form(
        admin,
        "/admin/people/invite",
        {"display_name": 120},
        invite_base,
        sep=" ",
        one_lines=["display_name"],
        after=lambda r: people.append(check_page(admin, r.headers["Location"], thorough=False)),
    )

    def purge_base():
        case = factories.create_case(world.north, world.staff)
        return {"code": case.code}

    run_form(
        admin, "/admin/cases/purge", {"reason": 300}, purge_base, sep=" ", one_lines=["reason"]
    )
    for url in (
        "/admin/",
        "/admin/?page=2",
        "/admin/teams",
        f"/admin/teams/{world.north.id}",
        "/admin/audit",
        "/admin/audit?page=2",
    ):
        check_page(admin, url)
    # Every name is on the list above; the descriptions (fewer batches) are on the first pages.
    descriptions = sum(1 for _ in batches(500, " "))
    for url in teams[:descriptions]:
        check_page(admin, url, thorough=False)
    for url in (f"/teams/{world.north.id}", f"/sessions/{place['session'].id}", "/"):
        check_page(staff, url)


def test_selfcheck_notes_show_nothing_executable(app, world, client_for):
    """Do self-check notes stay inert on the result and profile pages?"""
    staff = client_for(world.staff)
    instrument = app.extensions["content"].library.instrument
    ratings = {item_field_name(i): "2" for i in instrument.items}
    base = {**ratings, "instrument_version": str(instrument.version), "action": "submit"}
    fields = {note_field_name(s): 4_000 for s in instrument.sections}
    results = []
    run_form(staff, "/selfcheck/take", fields, base, after=lambda r: results.append(r))
    for response in results:
        check_page(staff, response.headers["Location"])
    check_page(staff, "/selfcheck")


def test_refused_and_reflected_input_shows_nothing_executable(app, world, client_for, place):
    """Do log-in, password, membership and search pages that echo input stay inert?"""
    anonymous = app.test_client()
    staff, admin, leader = (
        client_for(world.staff),
        client_for(world.admin),
        client_for(world.leader),
    )
    # Refused whatever their length, so the batches may be long.
    for text in batches(2_000, " "):
        response = anonymous.post("/login", data={"email": text, "password": text})
        assert response.status_code == 400
        assert_clean(response, "login refused")
        response = staff.post(
            "/account", data={"current_password": text, "password": text, "confirm": text}
        )
        assert response.status_code == 400
        assert_clean(response, "account refused")
        response = admin.post(
            f"/admin/teams/{world.north.id}/members", data={"email": text, "role": "member"}
        )
        assert response.status_code == 400
        assert_clean(response, "membership refused")
        response = admin.post("/admin/cases/purge", data={"code": text, "reason": "Duplicate"})
        assert response.status_code == 400
        assert_clean(response, "purge refused")
    from learning_hub.auth.services import issue_invitation

    token = issue_invitation(factories.create_user(password=None), world.admin)
    db.session.commit()
    for payload in PAYLOADS[:: len(PAYLOADS) // 12]:
        response = anonymous.post(
            f"/invitation/{token}", data={"password": payload, "confirm": payload + "x"}
        )
        assert response.status_code == 400
        assert_clean(response, "invitation refused")
        status = 400 if "\x00" in payload else 200
        for url in (
            f"/modules?q={payload}",
            f"/teams/{world.north.id}/cases?status={payload}&pattern={payload}",
            f"/login?next={payload}",
        ):
            check_page(staff if "login" not in url else anonymous, url, status)
        check_page(admin, f"/admin/?q={payload}", status)
        check_page(admin, f"/admin/audit?action={payload}", status)
        check_page(leader, f"/dashboard/drift?from={payload}&to={payload}", 400)
    session, item = place["session"], place["item"]
    response = client_for(world.facilitator).post(
        f"/sessions/{session.id}/agenda/{item.id}/move", data={"direction": PAYLOADS[0]}
    )
    assert response.status_code == 302


def test_case_items_on_the_agenda_keep_hostile_titles_inert(app, world, client_for, place):
    """Does an agenda item about a case, with a hostile title, stay inert?"""
    staff = client_for(world.staff)
    session, case = place["session"], place["case"]
    run_form(
        staff,
        f"/sessions/{session.id}/agenda",
        {"title": 300},
        {"kind": "case", "case_id": case.id, "timebox": "5"},
        one_lines=["title"],
        sep=" ",
    )
    item = db.session.scalars(
        db.select(AgendaItem).where(AgendaItem.case_id == case.id).limit(1)
    ).one()

    def version():
        db.session.expire_all()
        return {f"item{item.id}-version": str(db.session.get(AgendaItem, item.id).version)}

    run_form(
        staff,
        f"/sessions/{session.id}/agenda/{item.id}/notes",
        {f"item{item.id}-notes": 20_000},
        version,
    )
    check_page(staff, f"/sessions/{session.id}")
    check_page(staff, f"/sessions/{session.id}/summary")
    assert db.session.get(Case, case.id) is not None


def test_the_drift_export_does_not_carry_spreadsheet_formulas(app, world, client_for):
    """Does a team named like a spreadsheet formula reach the CSV export as plain text?"""
    import csv
    import io

    for name in ('=HYPERLINK("https://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)"):
        factories.create_team(name)
    response = client_for(world.leader).get("/dashboard/drift.csv")
    assert response.status_code == 200
    cells = [
        cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row
    ]
    assert any("HYPERLINK" in cell for cell in cells), "the team is not in the export"
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@"):
            float(cell)  # only signed figures may start like a formula
