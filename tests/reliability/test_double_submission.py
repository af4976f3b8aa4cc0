"""One-time submission tokens: a form sent twice, at once or one after the other, saves once."""

import re
import threading
from datetime import timedelta

import pytest
from flask import has_request_context
from flask.testing import FlaskClient
from sqlalchemy.exc import InterfaceError, OperationalError

from learning_hub.auth.models import Membership, Team, User
from learning_hub.cases.models import Case, CaseReflection, CaseResponse, TimelineEntry, Trigger
from learning_hub.core.database import utcnow
from learning_hub.core.extensions import db
from learning_hub.core.submissions import FormSubmission, prune_form_submissions
from learning_hub.modules.models import LearningGoal, Reflection, ReflectionResponse
from learning_hub.reviews.models import Action, AgendaItem, ReviewSession
from learning_hub.selfchecks.models import SelfCheck
from tests import factories
from tests.conftest import log_in

pytestmark = pytest.mark.real_commits

TOKEN = re.compile(r'name="([\w-]*submission_token)"[^>]*value="([0-9a-f]{32})"')
ALREADY = "That was already saved"


def tokens_on(page):
    """The (field name, token) pairs of every form on ``page``."""
    return TOKEN.findall(page)


def token_of_form(page, action):
    """The submission token of the form that posts to ``action``."""
    start = page.index(f'action="{action}"')
    name, token = TOKEN.search(page, start).groups()
    return name, token


@pytest.fixture
def module(app):
    return app.extensions["content"].library.get("noticing-your-own-reactions")


def _reflection(world, module):
    prompt = module.prompts[0].id
    return {
        "page": f"/modules/{module.slug}",
        "action": f"/modules/{module.slug}/prompts/{prompt}",
        "data": {f"{prompt}-body": "Slowing down helped.", f"{prompt}-share_team_id": "0"},
        "model": Reflection,
    }


def _case(world, module):
    url = f"/teams/{world.north.id}/cases/new"
    return {
        "page": url,
        "action": "",
        "data": {"gender": "female", "age_band": "", "context": "Referred after a move."},
        "model": Case,
    }


def _entry(world, module):
    case = factories.create_case(world.north, world.staff)
    return {
        "page": f"/cases/{case.id}",
        "action": f"/cases/{case.id}/entries",
        "data": {
            "occurred_on": utcnow().date().isoformat(),
            "method": "phone",
            "initiated_by": "worker",
            "outcome": "reached",
            "note": "Talked it through.",
        },
        "model": TimelineEntry,
    }


def _agenda_item(world, module):
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    return {
        "page": f"/sessions/{session.id}/agenda/new",
        "action": f"/sessions/{session.id}/agenda",
        "data": {"kind": "system-question", "title": "Which rules get in the way?"},
        "model": AgendaItem,
    }


FORMS = {"reflection": _reflection, "case": _case, "entry": _entry, "agenda": _agenda_item}


def _response(world, module):
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    url = f"/reflections/{reflection.id}"
    return {
        "who": "facilitator",
        "page": url,
        "action": f"{url}/responses",
        "data": {"body": "Thank you, this made me think."},
        "model": ReflectionResponse,
    }


def _goal(world, module):
    return {
        "page": "/learning/goals/new",
        "action": "",
        "data": {"description": "Offer two times.", "principles": ["autonomy"], "share_team_id": 0},
        "model": LearningGoal,
    }


def _trigger(world, module):
    case = factories.create_case(world.north, world.staff)
    return {
        "page": f"/cases/{case.id}",
        "action": f"/cases/{case.id}/triggers",
        "data": {"kind": "feelings", "description": "Letters with deadlines"},
        "model": Trigger,
    }


def _case_reflection(world, module):
    case = factories.create_case(world.north, world.staff)
    return {
        "page": f"/cases/{case.id}/reflections/new",
        "action": "",
        "data": {"identify": "Patchy.", "analyse": "Our letters.", "plan": "Texts instead."},
        "model": CaseReflection,
    }


def _case_response(world, module):
    case = factories.create_case(world.north, world.staff)
    reflection = factories.create_case_reflection(case, world.facilitator)
    return {
        "page": f"/cases/{case.id}/reflections/{reflection.id}",
        "action": "",
        "data": {"body": "Could the afternoon work better?"},
        "model": CaseResponse,
    }


def _action(world, module):
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    prefix = f"action{item.id}"
    return {
        "who": "facilitator",
        "page": f"/sessions/{session.id}",
        "action": f"/sessions/{session.id}/agenda/{item.id}/actions",
        "data": {
            f"{prefix}-description": "Reword the letter",
            f"{prefix}-owner_id": world.staff.id,
        },
        "model": Action,
    }


def _schedule(world, module):
    start = utcnow().date() + timedelta(days=7)
    return {
        "who": "facilitator",
        "page": f"/teams/{world.north.id}/sessions/new",
        "action": "",
        "data": {
            "title": "Team reflection",
            "start_on": start.isoformat(),
            "start_time": "10:00",
            "duration": 90,
            "location": "Room 2",
            "repeat": "fortnightly",
        },
        "model": ReviewSession,
    }


def _invitation(world, module):
    return {
        "who": "admin",
        "page": "/admin/people/invite",
        "action": "",
        "data": {
            "email": "rita@example.org",
            "display_name": "Rita Reyes",
            "role": "staff",
            "team_id": world.north.id,
            "team_role": "member",
        },
        "model": User,
    }


def _team(world, module):
    return {
        "who": "admin",
        "page": "/admin/teams/new",
        "action": "",
        "data": {"name": "East", "description": "", "timezone": "Europe/London"},
        "model": Team,
    }


def _membership(world, module):
    url = f"/admin/teams/{world.south.id}"
    return {
        "who": "admin",
        "page": url,
        "action": f"{url}/members",
        "data": {"email": "staff@example.org", "role": "member"},
        "model": Membership,
    }


def _selfcheck(world, module):
    return {"page": "/selfcheck/take", "action": "", "data": {}, "model": SelfCheck}


MORE_FORMS = {
    "self-check": _selfcheck,
    "response": _response,
    "goal": _goal,
    "trigger": _trigger,
    "case-reflection": _case_reflection,
    "case-response": _case_response,
    "action": _action,
    "schedule": _schedule,
    "invitation": _invitation,
    "team": _team,
    "membership": _membership,
}


RATING = re.compile(r'name="(item_\w+)"[^>]*type="radio"')
VERSION = re.compile(r'name="instrument_version"[^>]*value="(\d+)"')


def fill(client, form):
    """The form's data with the token of a fresh rendering of its page."""
    page = client.get(form["page"]).get_data(as_text=True)
    if form["model"] is SelfCheck:  # every statement rated 2, then finished
        ratings = dict.fromkeys(RATING.findall(page), "2")
        version = VERSION.search(page).group(1)
        form["data"] = {**ratings, "instrument_version": version, "action": "submit"}
    if form["action"]:
        name, token = token_of_form(page, form["action"])
    else:
        ((name, token),) = tokens_on(page)
    return {**form["data"], name: token}


def rows(model):
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize("kind", FORMS)
def test_same_form_sent_twice_at_once_saves_one_row(app, world, module, kind):
    """Do two identical submissions with the same token, sent at the same moment, both get a
    redirect to the same place while only one row is written?"""
    form = FORMS[kind](world, module)
    app.test_client_class = FlaskClient
    clients = [log_in(app.test_client(), world.staff) for _ in range(2)]
    data = fill(clients[0], form)
    url = form["action"] or form["page"]
    before = rows(form["model"])
    db.session.commit()  # the test's own transaction must not hold the lock
    start = threading.Barrier(2)
    responses = [None, None]

    def send(i):
        start.wait()
        responses[i] = clients[i].post(url, data=data)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status_code for r in responses] == [302, 302]
    assert rows(form["model"]) == before + 1
    assert responses[0].location == responses[1].location
    pairs = zip(clients, responses, strict=True)
    notes = [ALREADY in c.get(r.location).get_data(as_text=True) for c, r in pairs]
    assert sorted(notes) == [False, True]


@pytest.mark.parametrize("kind", FORMS)
def test_resending_a_saved_form_adds_nothing_and_says_so(app, world, module, client_for, kind):
    """Does sending a saved form again (back button, resend) lead to the first save's page with
    'That was already saved', without a second row, while a fresh rendering saves anew?"""
    client = client_for("staff")
    form = FORMS[kind](world, module)
    data = fill(client, form)
    url = form["action"] or form["page"]
    first = client.post(url, data=data)
    assert first.status_code == 302
    again = client.post(url, data=data)
    assert again.status_code == 302 and again.location == first.location
    assert ALREADY in client.get(again.location).get_data(as_text=True)
    assert rows(form["model"]) == 1
    fresh = fill(client, form)
    assert client.post(url, data=fresh).status_code == 302
    assert rows(form["model"]) == 2


@pytest.mark.parametrize("kind", MORE_FORMS)
def test_every_creating_form_refuses_its_token_twice(app, world, module, client_for, kind):
    """Is each other form that creates rows saved once when sent twice with its token, the
    second time answered with 'That was already saved' where the first went?"""
    form = MORE_FORMS[kind](world, module)
    client = client_for(getattr(world, form.get("who", "staff")))
    data = fill(client, form)
    url = form["action"] or form["page"]
    before = rows(form["model"])
    first = client.post(url, data=data)
    assert first.status_code == 302
    saved = rows(form["model"])
    assert saved > before
    again = client.post(url, data=data)
    assert again.status_code == 302 and again.location == first.location
    assert ALREADY in client.get(again.location).get_data(as_text=True)
    assert rows(form["model"]) == saved


def test_form_with_errors_keeps_its_token_and_saves_once_corrected(client_for, world, module):
    """Does a form shown again with errors keep the same token, so the corrected one saves?"""
    client = client_for("staff")
    form = _reflection(world, module)
    data = fill(client, form)
    prompt = module.prompts[0].id
    refused = client.post(form["action"], data={**data, f"{prompt}-body": ""})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert (f"{prompt}-submission_token", data[f"{prompt}-submission_token"]) in tokens_on(page)
    assert rows(FormSubmission) == 0
    assert client.post(form["action"], data=data).status_code == 302
    assert rows(Reflection) == 1
    token = db.session.scalars(db.select(FormSubmission)).one()
    assert token.user_id == world.staff.id and token.redirect_to.startswith(form["page"])


def test_each_rendering_carries_a_new_token(client_for, module):
    """Does every rendering of a page give each of its forms a token of its own?"""
    client = client_for("staff")
    first = tokens_on(client.get(f"/modules/{module.slug}").get_data(as_text=True))
    second = tokens_on(client.get(f"/modules/{module.slug}").get_data(as_text=True))
    assert len(first) == len(module.prompts)
    assert len({token for _, token in first + second}) == 2 * len(module.prompts)


def test_every_form_that_creates_something_carries_a_token(world, client_for, module):
    """Does every page with a form that creates rows output its hidden submission token?"""
    case = factories.create_case(world.north, world.staff)
    case_reflection = factories.create_case_reflection(case, world.staff)
    reflection = factories.create_reflection(world.staff, module, share_team=world.north)
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    factories.create_agenda_item(session, world.staff)
    pages = {
        world.staff: {
            f"/modules/{module.slug}": len(module.prompts),
            "/learning/goals/new": 1,
            f"/teams/{world.north.id}/cases/new": 1,
            f"/cases/{case.id}": 2,  # timeline entry, trigger
            f"/cases/{case.id}/reflections/new": 1,
            f"/cases/{case.id}/reflections/{case_reflection.id}": 1,
            f"/sessions/{session.id}": 1,  # an action on the one item
            f"/sessions/{session.id}/agenda/new": 1,
            "/selfcheck/take": 1,
        },
        world.facilitator: {
            f"/reflections/{reflection.id}": 1,  # response
            f"/teams/{world.north.id}/sessions/new": 1,
        },
        world.admin: {
            "/admin/people/invite": 1,
            "/admin/teams/new": 1,
            f"/admin/teams/{world.north.id}": 2,  # membership, team details
        },
    }
    for person, expected in pages.items():
        client = client_for(person)
        for url, count in expected.items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert len(tokens_on(response.get_data(as_text=True))) == count, url


def test_old_tokens_are_pruned_and_recent_ones_kept(app, world):
    """Does prune_form_submissions delete tokens older than the age given, and only those?"""
    now = utcnow()
    db.session.add_all(
        [
            FormSubmission(token="a" * 32, user_id=world.staff.id, created_at=now - timedelta(2)),
            FormSubmission(token="b" * 32, created_at=now - timedelta(hours=30)),
            FormSubmission(token="c" * 32, created_at=now - timedelta(hours=1)),
        ]
    )
    db.session.commit()
    assert prune_form_submissions(timedelta(days=1)) == 2
    db.session.commit()
    assert db.session.scalars(db.select(FormSubmission.token)).all() == ["c" * 32]
    assert prune_form_submissions(now) == 1


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly")),
        InterfaceError("COMMIT", {}, Exception("connection already closed")),
    ],
    ids=["operational", "interface"],
)
def test_connection_lost_during_commit_gives_the_503_page(
    client_for, world, module, monkeypatch, error
):
    """Is a connection lost while committing a write answered with the 503 page, not a 500?"""
    client = client_for("staff")
    form = _reflection(world, module)
    data = fill(client, form)

    session_class = type(db.session())
    commit = session_class.commit

    def lost_in_requests(session):
        # The view's own commit, the one that holds the reflection, not the one that
        # may end the read transaction the person was loaded in.
        held = (*session.new, *session.identity_map.values())
        if has_request_context() and any(isinstance(row, Reflection) for row in held):
            raise error
        return commit(session)

    monkeypatch.setattr(session_class, "commit", lost_in_requests)
    response = client.post(form["action"], data=data)
    assert response.status_code == 503
    assert "briefly unavailable" in response.get_data(as_text=True)
    assert rows(Reflection) == 0
