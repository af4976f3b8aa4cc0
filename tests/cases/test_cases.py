"""Case pages: scope, the guard on every text, timeline, plan, reflections, audit, insights."""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from learning_hub.cases import services
from learning_hub.cases.access import CASE_PAGE
from learning_hub.cases.models import Case, CaseResponse, EngagementPlan, TimelineEntry, Trigger
from learning_hub.core.audit import AuditEntry
from learning_hub.core.extensions import db
from tests import factories, querycount

TODAY = date.today()


def actions(case):
    return [
        e.action
        for e in db.session.scalars(
            db.select(AuditEntry)
            .where(AuditEntry.object_type == "cases", AuditEntry.object_id == case.id)
            .order_by(AuditEntry.id)
        )
    ]


def entry_data(**overrides):
    return {
        "occurred_on": TODAY.isoformat(),
        "method": "phone",
        "initiated_by": "worker",
        "outcome": "no-answer",
        "note": "",
        **overrides,
    }


def test_open_a_case_with_a_generated_code(client_for, world):
    """Does opening a case give it a random code in the viewer's team, whatever the form says?"""
    client = client_for("staff")
    response = client.post(
        f"/teams/{world.north.id}/cases/new",
        data={
            "gender": "female",
            "age_band": "25-34",
            "context": "Referred by the hostel.",
            "team_id": world.south.id,
        },
    )
    assert response.status_code == 302
    case = db.session.scalars(db.select(Case)).one()
    assert case.team_id == world.north.id
    assert len(case.code) == 6 and case.code.startswith("C-")
    assert "case.created" in actions(case)


def test_codes_are_unique_and_not_derived_from_anything():
    """Are codes random from a safe alphabet?"""
    codes = {Case.new_code() for _ in range(300)}
    assert len(codes) > 290
    assert all(not set(c[2:]) & set("01ILO") for c in codes)


def test_failed_attempts_are_recorded_like_contact(client_for, world):
    """Can a no-answer phone call be recorded as easily as an attended appointment?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    for outcome in ("no-answer", "missed", "attended"):
        assert (
            client.post(f"/cases/{case.id}/entries", data=entry_data(outcome=outcome)).status_code
            == 302
        )
    assert db.session.scalar(db.select(db.func.count(TimelineEntry.id))) == 3
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "No answer" in page and "<svg" in page and "<script" not in page


def test_phone_number_in_a_note_is_refused_with_the_rest_kept(client_for, world):
    """Does the guard refuse a phone number, highlight it and keep everything typed?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    note = "Left a message; her sister said try 07700 900123 after six."
    response = client.post(f"/cases/{case.id}/entries", data=entry_data(note=note, method="text"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<mark class="pii"' in page and "07700 900123" in page
    assert "phone number" in page
    assert note.replace("'", "&#39;") in page or "her sister said try" in page
    assert 'value="text" selected' in page or 'selected value="text"' in page
    assert db.session.scalar(db.select(db.func.count(TimelineEntry.id))) == 0


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("context", "Mrs Jones was referred by her GP."),
        ("context", "Lives at 14 Acacia Avenue with her mum."),
    ],
)
def test_guard_covers_case_context(client_for, world, field, text):
    """Is identifying context refused on a new case, keeping the text?"""
    client = client_for("staff")
    response = client.post(
        f"/teams/{world.north.id}/cases/new", data={"gender": "female", "age_band": "", field: text}
    )
    assert response.status_code == 400
    assert b"There is a problem" in response.data
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_guard_covers_triggers_plans_reflections_and_responses(client_for, world):
    """Does every other free text on a case pass the guard too?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    bad = "Call Mr Smith on 07700 900123"
    assert (
        client.post(
            f"/cases/{case.id}/triggers", data={"kind": "relationships", "description": bad}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/cases/{case.id}/plan",
            data={
                "made_with_person": "yes",
                "during_disengagement": bad,
                "agreed_on": TODAY.isoformat(),
            },
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/cases/{case.id}/reflections/new", data={"identify": bad, "analyse": "x", "plan": "y"}
        ).status_code
        == 400
    )
    reflection = factories.create_case_reflection(case, world.facilitator)
    assert (
        client.post(f"/cases/{case.id}/reflections/{reflection.id}", data={"body": bad}).status_code
        == 400
    )
    assert db.session.scalar(db.select(db.func.count(Trigger.id))) == 0
    assert db.session.scalar(db.select(db.func.count(EngagementPlan.id))) == 0
    assert db.session.scalar(db.select(db.func.count(CaseResponse.id))) == 0


def test_future_dates_are_refused(client_for, world):
    """Are a future entry date and a review before the agreed date refused?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    future = (TODAY + timedelta(days=3)).isoformat()
    response = client.post(
        f"/cases/{case.id}/entries", data=entry_data(occurred_on=future, note="Keep me")
    )
    assert response.status_code == 400 and b"cannot be in the future" in response.data
    assert b"Keep me" in response.data
    response = client.post(
        f"/cases/{case.id}/plan",
        data={
            "made_with_person": "yes",
            "during_disengagement": "Text twice, then ask the GP.",
            "agreed_on": TODAY.isoformat(),
            "review_on": (TODAY - timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert b"cannot be before the date agreed" in response.data
    assert b"Text twice, then ask the GP." in response.data


def test_plan_must_say_whether_it_was_made_with_the_person(client_for, world):
    """Is 'made with the person' required, and shown on the plan page?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    data = {
        "during_disengagement": "A text, then a visit with her key worker.",
        "agreed_on": TODAY.isoformat(),
        "preferred_methods": ["text", "visit"],
    }
    missing = client.post(f"/cases/{case.id}/plan", data=data)
    assert missing.status_code == 400
    assert b"Say whether the plan was made with the person" in missing.data
    assert (
        client.post(f"/cases/{case.id}/plan", data={**data, "made_with_person": "no"}).status_code
        == 302
    )
    page = client.get(f"/cases/{case.id}/plan").get_data(as_text=True)
    assert "written for the person, not with them" in page
    assert db.session.scalars(db.select(EngagementPlan)).one().preferred_methods == [
        "text",
        "visit",
    ]


def test_other_teams_case_is_404_for_every_verb(world, client_for):
    """Does an outsider get 404 for a North case on every page and action?"""
    case = factories.create_case(world.north, world.staff)
    reflection = factories.create_case_reflection(case, world.staff)
    outsider = client_for(world.outsider)
    for method, url in [
        ("GET", f"/cases/{case.id}"),
        ("GET", f"/cases/{case.id}/edit"),
        ("POST", f"/cases/{case.id}/edit"),
        ("POST", f"/cases/{case.id}/entries"),
        ("POST", f"/cases/{case.id}/triggers"),
        ("POST", f"/cases/{case.id}/pattern"),
        ("GET", f"/cases/{case.id}/plan"),
        ("POST", f"/cases/{case.id}/plan"),
        ("GET", f"/cases/{case.id}/export"),
        ("GET", f"/cases/{case.id}/access"),
        ("POST", f"/cases/{case.id}/close"),
        ("POST", f"/cases/{case.id}/reopen"),
        ("GET", f"/cases/{case.id}/reflections/{reflection.id}"),
        ("POST", f"/cases/{case.id}/reflections/{reflection.id}"),
        ("GET", f"/teams/{world.north.id}/cases"),
        ("GET", f"/teams/{world.north.id}/insights"),
    ]:
        assert outsider.open(url, method=method, data={"note": "x"}).status_code == 404, url
    assert actions(case) == ["case.created", "case.reflection_written"]


def test_reflection_of_another_case_is_404(world, client_for):
    """Can a reflection be reached through the URL of a different case? (It cannot.)"""
    first = factories.create_case(world.north, world.staff)
    second = factories.create_case(world.north, world.staff)
    reflection = factories.create_case_reflection(first, world.staff)
    client = client_for(world.staff)
    assert client.get(f"/cases/{second.id}/reflections/{reflection.id}").status_code == 404


def test_viewing_exporting_and_changing_are_audited_and_shown(client_for, world):
    """Are opening, exporting and changing a case audited, and shown to the team?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    client_for(world.facilitator).get(f"/cases/{case.id}")
    export = client.get(f"/cases/{case.id}/export")
    assert export.mimetype == "application/json"
    assert json.loads(export.data)["code"] == case.code
    client.post(f"/cases/{case.id}/entries", data=entry_data())
    assert {"case.viewed", "case.exported", "case.entry_added"} <= set(actions(case))
    page = client.get(f"/cases/{case.id}/access").get_data(as_text=True)
    assert "Fran Facilitator" in page and "exported" in page


def test_close_and_reopen_and_closed_cases_refuse_changes(client_for, world):
    """Can a case be closed and reopened, and does a closed case refuse new entries?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    assert client.post(f"/cases/{case.id}/close").status_code == 302
    assert client.post(f"/cases/{case.id}/entries", data=entry_data()).status_code == 409
    assert client.get(f"/cases/{case.id}").status_code == 200
    client.post(f"/cases/{case.id}/close")  # already closed: a message, no change
    client.post(f"/cases/{case.id}/reopen")
    db.session.refresh(case)
    assert not case.is_closed
    assert actions(case).count("case.closed") == 1


def test_reflection_in_three_parts_with_feelings_and_a_response(client_for, world):
    """Can a member reflect in three parts, name feelings, and see a teammate's response?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff)
    response = client.post(
        f"/cases/{case.id}/reflections/new",
        data={
            "identify": "Three missed Mondays in a row.",
            "analyse": "Mondays clash with signing on.",
            "plan": "Offer Wednesday mornings.",
            "feelings": ["relief", "anxiety"],
        },
    )
    assert response.status_code == 302
    reflection = case.reflections[0] if case.reflections else None
    db.session.refresh(case)
    reflection = case.reflections[0]
    assert reflection.feelings == ["relief", "anxiety"]
    client_for(world.facilitator).post(
        f"/cases/{case.id}/reflections/{reflection.id}",
        data={"body": "Wednesdays worked for us last year."},
    )
    home = client.get("/").get_data(as_text=True)
    assert f"to your reflection on case {case.code}" in home


def test_pattern_suggested_and_confirmed(client_for, world):
    """Is a pattern suggested from the history and confirmable by the worker?"""
    client = client_for("staff")
    start = TODAY - timedelta(days=120)
    case = factories.create_case(
        world.north,
        world.staff,
        entries=[
            (start, "no-answer"),
            (start + timedelta(days=5), "missed"),
            (start + timedelta(days=15), "cancelled"),
        ],
    )
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "suggests <strong>non starter</strong>" in page
    client.post(f"/cases/{case.id}/pattern", data={"pattern": "sporadic"})
    db.session.refresh(case)
    assert case.pattern_confirmed.value == "sporadic" and case.pattern_suggested == "non-starter"
    assert client.post(f"/cases/{case.id}/pattern", data={"pattern": "bogus"}).status_code == 302
    db.session.refresh(case)
    assert case.pattern_confirmed.value == "sporadic"


def test_insights_need_enough_cases(world, client_for, cache_expires):
    """Are insights withheld below MIN_GROUP_SIZE cases and shown at it (once the cached
    insights have expired), by gender too, with a group of one case hidden?"""
    client = client_for(world.staff)
    start = TODAY - timedelta(days=200)
    spell = [
        (start, "attended"),
        (start + timedelta(days=10), "missed"),
        (start + timedelta(days=40), "no-answer"),
        (start + timedelta(days=60), "reached"),
    ]
    factories.create_case(world.north, world.staff, entries=spell)
    page = client.get(f"/teams/{world.north.id}/insights").get_data(as_text=True)
    assert "Not enough cases yet" in page
    for gender in ("female", "female", "male", "male", "male"):
        factories.create_case(
            world.north,
            world.staff,
            gender=gender,
            entries=[(start, "attended"), (start + timedelta(days=7), "attended")],
        )
    cache_expires()
    page = client.get(f"/teams/{world.north.id}/insights").get_data(as_text=True)
    # One case of six with a spell is a group of one: hidden, with the reason.
    assert "1 of 6 cases" not in page and "not enough responses" in page
    assert "By gender" in page and "Female" in page and "Male" in page
    assert "Phone" in page


def test_cases_list_is_scoped_and_paginated(world, client_for):
    """Does the list show only the team's cases, 25 to a page?"""
    for _ in range(27):
        factories.create_case(world.north, world.staff)
    factories.create_case(world.south, world.outsider)
    client = client_for(world.staff)
    first = client.get(f"/teams/{world.north.id}/cases").get_data(as_text=True)
    assert first.count("/cases/") - first.count("/cases/new") >= 25
    assert "Page 1 of 2" in first
    south_code = db.session.scalar(db.select(Case.code).where(Case.team_id == world.south.id))
    assert south_code not in first


def test_pii_scan_reports_stored_texts(runner, world):
    """Does `pii-scan` report stored text the guard would now refuse?"""
    case = factories.create_case(world.north, world.staff)
    clean = runner.invoke(args=["pii-scan"])
    assert clean.exit_code == 0 and "No identifiers found" in clean.output
    case.context = "Moved in with Mrs Jones last week."
    db.session.commit()
    result = runner.invoke(args=["pii-scan"])
    assert result.exit_code == 1
    assert f"{case.code} context" in result.output and "Mrs Jones" in result.output


def test_admin_purge_is_audited(client_for, world):
    """Does an admin purge remove the case and everything on it, with an audit entry?"""
    client = client_for("admin")
    case = factories.create_case(world.north, world.staff, entries=[(TODAY, "missed")])
    factories.create_case_reflection(case, world.staff)
    code, case_id = case.code, case.id
    missing = client.post(
        "/admin/cases/purge", data={"code": "C-ZZZZ", "reason": "Recorded a name"}
    )
    assert missing.status_code == 400 and b"No case has this code" in missing.data
    response = client.post(
        "/admin/cases/purge", data={"code": code.lower(), "reason": "Recorded a name"}
    )
    assert response.status_code == 302
    assert db.session.get(Case, case_id) is None
    assert db.session.scalar(db.select(db.func.count(TimelineEntry.id))) == 0
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "case.purged"))
    assert entry.actor_id == world.admin.id and code in entry.detail


def test_seed_demo_adds_about_twelve_cases_per_team(runner):
    """Does seed-demo add realistic anonymised cases that pass the guard?"""
    assert runner.invoke(args=["seed-demo", "--password", "demo-password-123"]).exit_code == 0
    counts = dict(
        db.session.execute(db.select(Case.team_id, db.func.count()).group_by(Case.team_id)).all()
    )
    assert sorted(counts.values()) == [12, 12]
    assert db.session.scalar(db.select(db.func.count(TimelineEntry.id))) >= 24 * 5
    assert runner.invoke(args=["pii-scan"]).exit_code == 0
    runner.invoke(args=["seed-demo", "--password", "demo-password-123"])
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 24


def test_the_case_page_loads_its_plan_with_the_case_and_nothing_else(world):
    """Does the case page's read bring the plan in the same statement, and would a page
    touching anything it did not load (the timeline) fail rather than read it lazily?"""
    case = factories.create_case(world.north, world.staff, entries=[(TODAY, "reached")])
    services.save_plan(case, world.staff, made_with_person=True, agreed_on=TODAY)
    db.session.commit()
    case_id = case.id
    db.session.expunge_all()
    with querycount.counting(db.engine) as statements:
        loaded = db.session.scalar(CASE_PAGE, {"case_id": case_id})
        assert loaded.plan.made_with_person is True
    assert len(statements) == 1
    with pytest.raises(sa.exc.InvalidRequestError, match="raise"):
        loaded.entries  # noqa: B018 (the read itself is what is checked)
