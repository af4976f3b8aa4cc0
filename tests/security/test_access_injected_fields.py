"""Fields a form does not have are ignored: nobody can set a team, author, owner or role.

Every POST route gets an otherwise valid submission plus hostile extra fields
naming team South and its member (the viewers work in North). Afterwards no row
may have gained a link to South or to South's member, and nobody's role changed
(except the one change the admin role form itself asks for).
"""

from datetime import date, timedelta

import pytest

from learning_hub.auth.models import Membership, Team, User
from learning_hub.core.extensions import db
from tests.factories import PASSWORD
from tests.site.test_authorization_matrix import MATRIX, build_url, rule_methods, url_arguments

NEW_PASSWORD = "quiet orchard lantern seventeen"
TODAY = date.today().isoformat()
NEXT_MONTH = (date.today() + timedelta(days=30)).isoformat()


def _instrument_answers(app):
    instrument = app.extensions["content"].library.instrument
    data = {"instrument_version": str(instrument.version), "action": "submit"}
    for item in instrument.items:
        data["item_" + item.id.replace("-", "_")] = "3"
    return data


def _notes(app, world, values):
    from learning_hub.reviews.models import AgendaItem

    item = db.session.get(AgendaItem, values["item_id"])
    prefix = f"item{item.id}-"
    return {prefix + "notes": "We talked it through.", prefix + "version": str(item.version)}


# rule -> (viewer, valid form data or a callable (app, world, values) -> data)
VALID = {
    "/login": ("anonymous", {"email": "staff@example.org", "password": PASSWORD}),
    "/logout": ("staff", {}),
    "/invitation/<token>": ("anonymous", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    "/password/reset/<token>": ("anonymous", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
    "/account": (
        "staff",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    "/account/email": ("staff", {"new_email": "sam.new@example.org", "email_password": PASSWORD}),
    "/reauthenticate": ("staff", {"password": PASSWORD}),
    "/admin/people/invite": (
        "admin",
        {
            "email": "new@example.org",
            "display_name": "Nia New",
            "role": "staff",
            "team_id": "0",
            "team_role": "member",
        },
    ),
    "/admin/people/<int:user_id>/role": ("admin", {"role": "leader"}),
    "/admin/people/<int:user_id>/erase": (
        "admin",
        lambda app, world, values: {"email": world.staff.email},
    ),
    "/admin/teams/new": ("admin", {"name": "East", "timezone": "Europe/London"}),
    "/admin/teams/<int:team_id>": ("admin", {"name": "North", "timezone": "Europe/London"}),
    "/admin/teams/<int:team_id>/members": (
        "admin",
        {"email": "leader@example.org", "role": "member"},
    ),
    "/admin/cases/purge": (
        "admin",
        lambda app, world, values: {"code": _case_code(values), "reason": "Named the person"},
    ),
    "/modules/<slug>/prompts/<prompt_id>": (
        "staff",
        lambda app, world, values: {
            f"{values['prompt_id']}-body": "I slowed down and asked first.",
            f"{values['prompt_id']}-share_team_id": str(world.north.id),
        },
    ),
    "/learning/goals/new": ("staff", {"description": "Ask before advising.", "share_team_id": "0"}),
    "/reflections/<int:reflection_id>/edit": ("staff", {"body": "I decided too early, again."}),
    "/reflections/<int:reflection_id>/sharing": (
        "staff",
        lambda app, world, values: {"share_team_id": str(world.north.id)},
    ),
    "/reflections/<int:reflection_id>/responses": ("facilitator", {"body": "Thank you for this."}),
    "/learning/goals/<int:goal_id>/edit": (
        "staff",
        {"description": "Offer three times.", "share_team_id": "0"},
    ),
    "/learning/goals/<int:goal_id>/status": ("staff", {"status": "achieved"}),
    "/selfcheck/take": ("staff", lambda app, world, values: _instrument_answers(app)),
    "/selfcheck/<int:check_id>/share": (
        "staff",
        lambda app, world, values: {"team_id": str(world.north.id)},
    ),
    "/teams/<int:team_id>/fidelity/cadence": ("facilitator", {"weeks": "6"}),
    "/teams/<int:team_id>/cases/new": (
        "staff",
        {"gender": "female", "age_band": "25-34", "context": "Moved flats."},
    ),
    "/cases/<int:case_id>/edit": (
        "staff",
        {"gender": "male", "age_band": "35-44", "context": "Moved again."},
    ),
    "/cases/<int:case_id>/entries": (
        "staff",
        {"occurred_on": TODAY, "method": "phone", "initiated_by": "worker", "outcome": "reached"},
    ),
    "/cases/<int:case_id>/pattern": ("staff", {"pattern": "sporadic"}),
    "/cases/<int:case_id>/triggers": ("staff", {"kind": "feelings", "description": "Letters"}),
    "/cases/<int:case_id>/plan": (
        "staff",
        {
            "made_with_person": "yes",
            "during_disengagement": "A text each week.",
            "agreed_on": TODAY,
        },
    ),
    "/cases/<int:case_id>/reflections/new": (
        "facilitator",
        {"identify": "Patchy.", "analyse": "Our letters.", "plan": "Texts."},
    ),
    "/cases/<int:case_id>/reflections/<int:case_reflection_id>": (
        "facilitator",
        {"body": "Have you tried afternoons?"},
    ),
    "/teams/<int:team_id>/sessions/new": (
        "facilitator",
        {
            "title": "Review",
            "start_on": NEXT_MONTH,
            "start_time": "10:00",
            "duration": "60",
            "repeat": "",
        },
    ),
    "/sessions/<int:session_id>/agenda": (
        "staff",
        {"kind": "system-question", "title": "Do our rules limit choice?"},
    ),
    "/sessions/<int:session_id>/agenda/<int:item_id>/move": ("facilitator", {"direction": "up"}),
    "/sessions/<int:session_id>/agenda/<int:item_id>/notes": ("facilitator", _notes),
    "/sessions/<int:session_id>/agenda/<int:item_id>/actions": (
        "facilitator",
        lambda app, world, values: {
            f"action{values['item_id']}-description": "Ring the housing team",
            f"action{values['item_id']}-owner_id": str(world.staff.id),
        },
    ),
    "/actions/<int:action_id>/done": ("staff", {"note": "Done on Monday"}),
    "/sessions/<int:session_id>/move": (
        "facilitator",
        {"start_on": NEXT_MONTH, "start_time": "11:00", "duration": "60"},
    ),
}
# Everything else takes no fields (a button): a staff member of North, or the
# facilitator or admin where the matrix says the route is theirs.


def _case_code(values):
    from learning_hub.cases.models import Case

    return db.session.get(Case, values["case_id"]).code


def viewer_for(method, rule):
    if rule in VALID:
        return VALID[rule][0]
    expected = MATRIX[(method, rule)]
    for viewer in ("staff", "facilitator", "admin"):
        if expected[viewer] in (200, 302, 400):
            return viewer
    raise AssertionError(f"nobody may post to {rule}")


POST_RULES = sorted(rule for method, rule in MATRIX if method == "POST")


def hostile_fields(world):
    south, outsider = world.south.id, world.outsider.id
    return {
        "team_id": str(south),
        "shared_team_id": str(south),
        "author_id": str(outsider),
        "user_id": str(outsider),
        "owner_id": str(outsider),
        "role": "admin",
        "is_admin": "1",
    }


def links_to(world):
    """Every (table, row, column) whose foreign key points at South or South's member."""
    found = set()
    targets = {"teams": world.south.id, "users": world.outsider.id}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = targets.get(fk.column.table.name)
            if target is None:
                continue
            key = [c.name for c in table.primary_key.columns]
            rows = db.session.execute(
                db.select(*table.primary_key.columns).where(fk.parent == target)
            )
            found |= {(table.name, tuple(r), fk.parent.name) for r in rows}
            assert key
    return found


def roles():
    return {
        "people": dict(db.session.execute(db.select(User.id, User.role)).all()),
        "memberships": set(
            db.session.execute(
                db.select(Membership.user_id, Membership.team_id, Membership.role)
            ).all()
        ),
        "teams": {t.id: t.name for t in db.session.scalars(db.select(Team))},
    }


def problems(response):
    """The messages a refused form shows, to explain a failing test."""
    import re

    text = response.get_data(as_text=True)
    return re.findall(r'class="(?:field-error|notice[^"]*)"[^>]*>(.*?)</', text, re.S) + re.findall(
        r"<li>(.*?)</li>", text.split("error-summary", 1)[-1][:2000], re.S
    )


def test_every_post_route_has_a_viewer():
    """Is every POST route of the matrix covered, with a valid submission where it takes one?"""
    assert all(viewer_for("POST", rule) for rule in POST_RULES)
    assert set(VALID) <= set(POST_RULES)


@pytest.mark.parametrize("rule", POST_RULES)
def test_injected_fields_are_ignored(app, world, client_for, rule, request):
    """Does a valid submission with extra team, author, owner and role fields ignore them?"""
    if rule == "/account/email":
        request.getfixturevalue("smtp_sink")  # the change is confirmed by a mailed link
    values = url_arguments(app, world)
    viewer = viewer_for("POST", rule)
    data = VALID.get(rule, (viewer, {}))[1]
    data = dict(data(app, world, values) if callable(data) else data)
    for name, value in hostile_fields(world).items():
        data.setdefault(name, value)  # a form's own field keeps its valid value
    before_links, before_roles = links_to(world), roles()

    client = app.test_client() if viewer == "anonymous" else client_for(getattr(world, viewer))
    url_rule = next(r for m, r in rule_methods(app) if r.rule == rule and m == "POST")
    response = client.post(build_url(app, url_rule, values, "POST"), data=data)
    assert response.status_code == 302, (rule, response.status_code, problems(response))
    if rule != "/logout":
        assert not response.headers["Location"].startswith(("/login", "/reauthenticate")), rule

    db.session.expire_all()
    assert links_to(world) <= before_links, f"{rule} stored a link to South or its member"
    after = roles()
    if rule == "/admin/people/<int:user_id>/role":
        before_roles["people"][world.staff.id] = "leader"
    if rule == "/admin/teams/<int:team_id>/members":
        before_roles["memberships"].add((world.leader.id, world.north.id, "member"))
    if rule == "/admin/teams/<int:team_id>/members/<int:user_id>/remove":
        before_roles["memberships"].discard((world.staff.id, world.north.id, "member"))
    if rule == "/admin/people/<int:user_id>/erase":  # an erased person leaves every team
        before_roles["memberships"] = {
            m for m in before_roles["memberships"] if m[0] != world.staff.id
        }
    kept = {k: v for k, v in after["people"].items() if k in before_roles["people"]}
    assert kept == before_roles["people"], f"{rule} changed someone's role"
    added = {v for k, v in after["people"].items() if k not in before_roles["people"]}
    assert added <= {"staff"}, f"{rule} created someone with a role the form did not ask for"
    assert after["memberships"] == before_roles["memberships"], f"{rule} changed a membership"
    assert set(before_roles["teams"]) <= set(after["teams"])


def south_objects(app, world):
    from tests import factories

    module = next(iter(app.extensions["content"].library))
    case = factories.create_case(world.south, world.outsider)
    return {
        "case": case,
        "case_reflection": factories.create_case_reflection(case, world.outsider),
        "reflection": factories.create_reflection(world.outsider, module, share_team=world.south),
    }


@pytest.mark.parametrize(
    ("kind", "field", "name"),
    [
        ("case", "case_id", "case"),
        ("case-reflection", "case_reflection_id", "case_reflection"),
        ("shared-reflection", "reflection_id", "reflection"),
    ],
)
def test_agenda_item_cannot_link_another_teams_object(app, world, client_for, kind, field, name):
    """Is an agenda item pointing at South's case or reflection refused, not linked?"""
    values = url_arguments(app, world)
    target = south_objects(app, world)[name]
    before = links_to(world)
    response = client_for(world.staff).post(
        f"/sessions/{values['session_id']}/agenda",
        data={"kind": kind, "title": "About this one", field: str(target.id)},
    )
    assert response.status_code == 400
    assert "from your team&#39;s list" in response.get_data(as_text=True)
    assert links_to(world) == before


def test_action_cannot_be_given_to_someone_outside_the_team(app, world, client_for):
    """Is an action owned by South's member refused on a North session?"""
    values = url_arguments(app, world)
    prefix = f"action{values['item_id']}-"
    before = links_to(world)
    response = client_for(world.facilitator).post(
        f"/sessions/{values['session_id']}/agenda/{values['item_id']}/actions",
        data={prefix + "description": "Ring them", prefix + "owner_id": str(world.outsider.id)},
    )
    assert response.status_code == 400
    assert b"Choose someone from the team" in response.data
    assert links_to(world) == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/selfcheck/{check_id}/share", "team_id"),
        ("/reflections/{reflection_id}/sharing", "share_team_id"),
        ("/learning/goals/{goal_id}/edit", "share_team_id"),
    ],
)
def test_sharing_with_a_team_one_is_not_in_is_refused(app, world, client_for, path, field):
    """Can staff of North share their own work with team South? (They must not.)"""
    values = url_arguments(app, world)
    before = links_to(world)
    data = {field: str(world.south.id), "description": "Ask first."}
    response = client_for(world.staff).post(path.format(**values), data=data)
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert links_to(world) == before
