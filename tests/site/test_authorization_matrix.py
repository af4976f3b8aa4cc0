"""The authorization matrix: every URL rule, what each kind of viewer gets.

Every rule in ``app.url_map`` must appear in MATRIX, so a new route cannot land
without declaring its access. Objects in URLs belong to team North; the
"outsider" is a member of team South only. POSTs send a form without the expected fields, so an
allowed viewer gets 400 (refused input) or 302 (done), never 200.
"""

import pytest

from learning_hub.auth.services import (
    issue_invitation,
    request_email_change,
    request_password_reset,
)
from learning_hub.core.extensions import db
from tests import factories

ROLES = ("anonymous", "staff", "facilitator", "leader", "admin", "outsider")
LOGIN = "login"  # a redirect to the log-in page


def row(anonymous=LOGIN, staff=200, facilitator=200, leader=200, admin=200, outsider=200):
    return {
        "anonymous": anonymous,
        "staff": staff,
        "facilitator": facilitator,
        "leader": leader,
        "admin": admin,
        "outsider": outsider,
    }


def everyone(status):
    return row(status, status, status, status, status, status)


def admin_only(allowed=200):
    return row(staff=403, facilitator=403, leader=403, admin=allowed, outsider=403)


def north_only(allowed=200):
    return row(staff=allowed, facilitator=allowed, leader=404, admin=404, outsider=404)


MATRIX = {
    ("GET", "/healthz"): everyone(200),
    ("GET", "/static/<path:filename>"): everyone(200),
    ("GET", "/login"): row(200, 302, 302, 302, 302, 302),
    ("POST", "/login"): row(400, 302, 302, 302, 302, 302),
    ("POST", "/logout"): row(LOGIN, 302, 302, 302, 302, 302),
    ("GET", "/invitation/<token>"): everyone(200),
    ("POST", "/invitation/<token>"): everyone(400),
    # Forgotten password: open to everyone. Without a mail server (as here) the form post
    # only sends people back to the page that says to ask an admin.
    ("GET", "/password/forgot"): everyone(200),
    ("POST", "/password/forgot"): everyone(302),
    ("GET", "/password/forgot/sent"): everyone(200),
    ("GET", "/password/reset/<token>"): everyone(200),
    ("POST", "/password/reset/<token>"): everyone(400),
    ("GET", "/account"): row(),
    ("POST", "/account"): row(LOGIN, 400, 400, 400, 400, 400),
    # Personal data export: everyone logged in downloads their own.
    ("GET", "/account/export.json"): row(),
    ("POST", "/account/email"): row(LOGIN, 400, 400, 400, 400, 400),
    # The link mailed to a new address works only for its own account (staff's here).
    ("GET", "/account/email/<token>"): row(LOGIN, 200, 404, 404, 404, 404),
    ("POST", "/account/email/<token>"): row(LOGIN, 302, 404, 404, 404, 404),
    ("GET", "/reauthenticate"): row(),
    ("POST", "/reauthenticate"): row(LOGIN, 400, 400, 400, 400, 400),
    ("GET", "/"): row(),
    ("GET", "/teams/<int:team_id>"): north_only(),
    ("GET", "/admin/"): admin_only(),
    ("GET", "/admin/people/invite"): admin_only(),
    ("POST", "/admin/people/invite"): admin_only(400),
    ("GET", "/admin/people/<int:user_id>"): admin_only(),
    ("POST", "/admin/people/<int:user_id>/invitation"): admin_only(302),
    ("POST", "/admin/people/<int:user_id>/deactivate"): admin_only(302),
    ("POST", "/admin/people/<int:user_id>/reactivate"): admin_only(302),
    ("POST", "/admin/people/<int:user_id>/role"): admin_only(400),
    # Erasing a departed person: the confirmation page, and the form without the email typed.
    ("GET", "/admin/people/<int:user_id>/erase"): admin_only(),
    ("POST", "/admin/people/<int:user_id>/erase"): admin_only(400),
    ("GET", "/admin/teams"): admin_only(),
    ("GET", "/admin/teams/new"): admin_only(),
    ("POST", "/admin/teams/new"): admin_only(400),
    ("GET", "/admin/teams/<int:team_id>"): admin_only(),
    # Edit forms keep stored values for fields a POST leaves out (WTForms with obj=).
    ("POST", "/admin/teams/<int:team_id>"): admin_only(302),
    ("POST", "/admin/teams/<int:team_id>/members"): admin_only(400),
    ("POST", "/admin/teams/<int:team_id>/members/<int:user_id>/remove"): admin_only(302),
    ("GET", "/admin/audit"): admin_only(),
    ("GET", "/admin/content"): admin_only(),
    ("POST", "/admin/content/reload"): admin_only(302),
    # Practice modules: open to every logged-in person.
    ("GET", "/modules"): row(),
    ("GET", "/modules/<slug>"): row(),
    ("POST", "/modules/<slug>/prompts/<prompt_id>"): row(LOGIN, 400, 400, 400, 400, 400),
    ("GET", "/learning"): row(),
    ("GET", "/learning/goals/new"): row(),
    ("POST", "/learning/goals/new"): row(LOGIN, 400, 400, 400, 400, 400),
    # A reflection by staff, shared with North; a goal of staff's, shared with North.
    ("GET", "/reflections/<int:reflection_id>"): north_only(),
    ("GET", "/reflections/<int:reflection_id>/edit"): north_only(200) | {"facilitator": 403},
    ("POST", "/reflections/<int:reflection_id>/edit"): north_only(302) | {"facilitator": 403},
    ("POST", "/reflections/<int:reflection_id>/sharing"): north_only(302) | {"facilitator": 403},
    ("POST", "/reflections/<int:reflection_id>/delete"): north_only(302) | {"facilitator": 403},
    ("POST", "/reflections/<int:reflection_id>/responses"): north_only(400),
    ("GET", "/teams/<int:team_id>/reflections"): north_only(),
    ("GET", "/learning/goals/<int:goal_id>/edit"): north_only(200) | {"facilitator": 403},
    ("POST", "/learning/goals/<int:goal_id>/edit"): north_only(302) | {"facilitator": 403},
    ("POST", "/learning/goals/<int:goal_id>/status"): north_only(302) | {"facilitator": 403},
    ("POST", "/learning/goals/<int:goal_id>/delete"): north_only(302) | {"facilitator": 403},
    # Self-checks: check_id is staff's result, shared with North's facilitators.
    ("GET", "/selfcheck"): row(),
    ("GET", "/selfcheck/how-drift-works"): row(),
    ("GET", "/selfcheck/take"): row(),
    ("POST", "/selfcheck/take"): row(LOGIN, 400, 400, 400, 400, 400),
    ("POST", "/selfcheck/draft/discard"): row(LOGIN, 302, 404, 404, 404, 404),  # staff's draft
    ("GET", "/selfcheck/<int:check_id>"): north_only(),
    ("POST", "/selfcheck/<int:check_id>/share"): north_only(302) | {"facilitator": 403},
    ("POST", "/selfcheck/<int:check_id>/unshare"): north_only(302) | {"facilitator": 403},
    ("GET", "/teams/<int:team_id>/fidelity"): north_only(200) | {"staff": 403},
    ("POST", "/teams/<int:team_id>/fidelity/cadence"): north_only(302) | {"staff": 403},
    # Cases: case_id is a case of North; the case reflection is on it.
    ("GET", "/teams/<int:team_id>/cases"): north_only(),
    ("GET", "/teams/<int:team_id>/cases/new"): north_only(),
    ("POST", "/teams/<int:team_id>/cases/new"): north_only(302),  # all fields optional
    ("GET", "/teams/<int:team_id>/insights"): north_only(),
    ("GET", "/insights/engagement"): row(staff=403, facilitator=403, admin=403, outsider=403),
    ("GET", "/cases/<int:case_id>"): north_only(),
    ("GET", "/cases/<int:case_id>/edit"): north_only(),
    ("POST", "/cases/<int:case_id>/edit"): north_only(302),
    ("POST", "/cases/<int:case_id>/entries"): north_only(400),
    ("POST", "/cases/<int:case_id>/pattern"): north_only(302),
    ("POST", "/cases/<int:case_id>/triggers"): north_only(400),
    ("GET", "/cases/<int:case_id>/plan"): north_only(),
    ("POST", "/cases/<int:case_id>/plan"): north_only(400),
    ("GET", "/cases/<int:case_id>/reflections/new"): north_only(),
    ("POST", "/cases/<int:case_id>/reflections/new"): north_only(400),
    ("GET", "/cases/<int:case_id>/reflections/<int:case_reflection_id>"): north_only(),
    ("POST", "/cases/<int:case_id>/reflections/<int:case_reflection_id>"): north_only(400),
    ("POST", "/cases/<int:case_id>/close"): north_only(302),
    ("POST", "/cases/<int:case_id>/reopen"): north_only(302),  # flashes "already open"
    ("GET", "/cases/<int:case_id>/export"): north_only(),
    ("GET", "/cases/<int:case_id>/access"): north_only(),
    ("GET", "/admin/cases/purge"): admin_only(),
    ("POST", "/admin/cases/purge"): admin_only(400),
    # Review sessions of North: session_id, item_id on it, series_id; action_id is staff's.
    ("GET", "/teams/<int:team_id>/sessions"): north_only(),
    ("GET", "/teams/<int:team_id>/actions"): north_only(),
    ("GET", "/teams/<int:team_id>/sessions/new"): north_only(200) | {"staff": 403},
    ("POST", "/teams/<int:team_id>/sessions/new"): north_only(400) | {"staff": 403},
    ("GET", "/sessions/<int:session_id>"): north_only(),
    ("GET", "/sessions/<int:session_id>/agenda/new"): north_only(),
    ("POST", "/sessions/<int:session_id>/agenda"): north_only(400),
    ("POST", "/sessions/<int:session_id>/agenda/<int:item_id>/move"): north_only(302)
    | {"staff": 403},
    # Without the version it started from, a notes save is refused as stale.
    ("POST", "/sessions/<int:session_id>/agenda/<int:item_id>/notes"): north_only(409),
    ("POST", "/sessions/<int:session_id>/agenda/<int:item_id>/actions"): north_only(400),
    ("POST", "/actions/<int:action_id>/done"): north_only(302),
    ("POST", "/sessions/<int:session_id>/cancel"): north_only(302) | {"staff": 403},
    ("GET", "/sessions/<int:session_id>/move"): north_only(200) | {"staff": 403},
    ("POST", "/sessions/<int:session_id>/move"): north_only(400) | {"staff": 403},
    ("POST", "/series/<int:series_id>/end"): north_only(302) | {"staff": 403},
    ("GET", "/sessions/<int:session_id>/summary"): north_only(),
    ("POST", "/teams/<int:team_id>/calendar/reset"): north_only(302),  # their own address
    ("POST", "/account/calendar/reset"): row(LOGIN, 302, 302, 302, 302, 302),
    # Calendar feeds answer to their private token, not to a login.
    ("GET", "/calendar/team/<feed_token>.ics"): everyone(200),
    ("GET", "/calendar/me/<feed_token>.ics"): everyone(200),
    # The leaders' dashboard: leaders only; admins have no special read access.
    ("GET", "/dashboard/drift"): row(staff=403, facilitator=403, admin=403, outsider=403),
    ("GET", "/dashboard/drift.csv"): row(staff=403, facilitator=403, admin=403, outsider=403),
    ("GET", "/dashboard/drift/principles/<principle>"): row(
        staff=403, facilitator=403, admin=403, outsider=403
    ),
    ("GET", "/dashboard/drift/teams/<int:team_id>"): row(
        staff=403, facilitator=403, admin=403, outsider=403
    ),
}


def url_arguments(app, world):
    """Values for URL placeholders: objects of team North."""
    return team_objects(app, world, world.north, world.staff, world.facilitator)


def team_objects(app, world, team, member, facilitator):
    """URL values for objects of ``team``: ``member`` wrote or owns them, shared with the team."""
    token = issue_invitation(factories.create_user(password=None), world.admin)
    _, reset_token = request_password_reset(member.email)
    email_token = request_email_change(member, f"new.{member.email}")
    module = next(iter(app.extensions["content"].library))
    reflection = factories.create_reflection(member, module, share_team=team)
    goal = factories.create_goal(member, share_team=team)
    check = factories.create_selfcheck(app, member, share_team=team)
    case = factories.create_case(team, member)
    case_reflection = factories.create_case_reflection(case, member)
    review = factories.create_review(team, facilitator)
    item = factories.create_agenda_item(review.sessions[0], member)
    action = factories.create_action(review.sessions[0], facilitator, member)
    from learning_hub.reviews.services import feed_for

    team_feed, person_feed = feed_for(member, team), feed_for(member)
    factories.create_selfcheck(app, member, submit=False)
    db.session.commit()
    return {
        "team_feed": team_feed.token,
        "person_feed": person_feed.token,
        "team_id": team.id,
        "user_id": member.id,
        "token": token,
        "reset_token": reset_token,
        "email_token": email_token,
        "filename": "app.css",
        "slug": module.slug,
        "prompt_id": module.prompts[0].id,
        "reflection_id": reflection.id,
        "goal_id": goal.id,
        "check_id": check.id,
        "principle": "autonomy",
        "case_id": case.id,
        "case_reflection_id": case_reflection.id,
        "session_id": review.sessions[0].id,
        "series_id": review.id,
        "item_id": item.id,
        "action_id": action.id,
    }


def rule_methods(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_route_is_in_the_matrix(app):
    """Does every URL rule and verb of the app declare its access here?"""
    declared = set(MATRIX)
    actual = {(method, rule.rule) for method, rule in rule_methods(app)}
    missing = sorted(actual - declared)
    stale = sorted(declared - actual)
    assert not missing, f"routes missing from the authorization matrix: {missing}"
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "rule"), sorted(MATRIX), ids=lambda v: v)
def test_access(app, world, client_for, method, rule, role):
    """Does this viewer get exactly what the matrix says for this route?"""
    expected = MATRIX[(method, rule)][role]
    client = app.test_client() if role == "anonymous" else client_for(getattr(world, role))
    values = url_arguments(app, world)
    url_rule = next(r for m, r in rule_methods(app) if r.rule == rule and m == method)
    url = build_url(app, url_rule, values, method)
    # A form with none of the expected fields: refused input for allowed viewers.
    with client.open(url, method=method, data={"matrix": "1"}) as response:
        check(response, expected, f"{role} {method} {rule}")


def build_url(app, url_rule, values, method):
    """The URL of ``url_rule`` for the objects in ``values``; each kind of token link gets a
    token of its own kind (a feed's, a reset's, an e-mail change's, else an invitation's)."""
    rule = url_rule.rule
    values = dict(values)
    if "feed_token" in url_rule.arguments:
        values["feed_token"] = values["team_feed" if "/team/" in rule else "person_feed"]
    if rule.startswith("/password/reset/"):
        values["token"] = values["reset_token"]
    if rule.startswith("/account/email/"):
        values["token"] = values["email_token"]
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(
            url_rule.endpoint, {k: values[k] for k in url_rule.arguments}, method=method
        )


# Object-bearing pages whose objects are not scoped to the viewer's teams: admin
# pages (admins manage every team) and leaders' cross-team views; tokens and
# module slugs name no team's object.
UNSCOPED_PREFIXES = ("/admin/", "/dashboard/", "/static/", "/invitation/", "/calendar/")
UNSCOPED_ARGUMENTS = {"slug", "prompt_id", "principle", "filename", "token", "feed_token"}
SOUTH_GETS = sorted(
    rule
    for (method, rule) in MATRIX
    if method == "GET"
    and "<" in rule
    and not rule.startswith(UNSCOPED_PREFIXES)
    and not {a.split(":")[-1].rstrip(">") for a in rule.split("<")[1:]} <= UNSCOPED_ARGUMENTS
)
SOUTH_VIEWERS = ("staff", "facilitator", "leader", "admin", "outsider", "south_facilitator")


def south_expectation(rule, viewer):
    """What a viewer gets for an object of South: North people 404, South people as North's."""
    north = MATRIX[("GET", rule)]
    if viewer == "outsider":  # South's member, author of the South objects, as staff is of North's
        return north["staff"]
    if viewer == "south_facilitator":
        return north["facilitator"]
    return 404


def test_south_pages_are_checked():
    """Does the other-team check cover every team-scoped page with an object in its URL?"""
    assert "/cases/<int:case_id>" in SOUTH_GETS
    assert "/teams/<int:team_id>/fidelity" in SOUTH_GETS
    assert "/selfcheck/<int:check_id>" in SOUTH_GETS
    assert not [r for r in SOUTH_GETS if r.startswith(("/admin/", "/modules/"))]


@pytest.mark.parametrize("viewer", SOUTH_VIEWERS)
@pytest.mark.parametrize("rule", SOUTH_GETS)
def test_objects_of_another_team(app, world, client_for, rule, viewer):
    """Does an object of team South answer 404 to North's people and open to South's?"""
    south_facilitator = factories.create_user(
        email="sfac@example.org", name="Sol Facilitator", teams={world.south: "facilitator"}
    )
    values = team_objects(app, world, world.south, world.outsider, south_facilitator)
    person = south_facilitator if viewer == "south_facilitator" else getattr(world, viewer)
    url_rule = next(r for m, r in rule_methods(app) if r.rule == rule and m == "GET")
    url = build_url(app, url_rule, values, "GET")
    with client_for(person).get(url) as response:
        check(response, south_expectation(rule, viewer), f"{viewer} GET {rule} of South")


def check(response, expected, label):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected, (
            f"{label}: got {response.status_code}, expected {expected}"
        )
