"""The leaders' drift dashboard and its CSV export."""

import csv
import io
from datetime import date, timedelta

import pytest

from learning_hub.core.database import utcnow
from learning_hub.core.disclosure import one_decimal
from learning_hub.core.extensions import db
from learning_hub.selfchecks import drift
from tests import factories


@pytest.fixture
def drifting_north(app, world, create_user, instrument):
    """North: four people whose transparency falls from 3 to 1 over eight months."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(2)
    ]
    now = utcnow()
    for months_ago in range(8, 0, -1):
        level = 3 if months_ago > 3 else 1
        for person in people:
            ratings = {
                i.id: (level if i.principle == "transparency" else 3) for i in instrument.items
            }
            factories.create_selfcheck(
                app, person, ratings, submitted_at=now - timedelta(days=30 * months_ago)
            )
    return people


@pytest.fixture
def instrument(app):
    return app.extensions["content"].library.instrument


def rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_leader_sees_alerts_with_principle_and_size(client_for, drifting_north, world):
    """Does the dashboard raise a drift alert naming the team, principle and size?"""
    client = client_for("leader")
    page = client.get("/dashboard/drift").get_data(as_text=True)
    assert "North, Transparency</strong>: drifting down by" in page
    assert "South" in page and "not enough responses" in page
    assert "<script>" not in page
    principle_page = client.get("/dashboard/drift/principles/transparency")
    assert principle_page.status_code == 200
    assert principle_page.get_data(as_text=True).count('data-chart="') == 1
    assert client.get("/dashboard/drift/principles/kindness").status_code == 404
    team_page = client.get(f"/dashboard/drift/teams/{world.north.id}")
    assert team_page.status_code == 200
    assert team_page.get_data(as_text=True).count('data-chart="') == 1  # and one per team
    assert client.get("/dashboard/drift/teams/99999").status_code == 404


def test_csv_matches_what_is_shown(client_for, drifting_north, world):
    """Does the CSV hold exactly the figures the page shows, and no people?"""
    client = client_for("leader")
    response = client.get("/dashboard/drift.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    data = rows(response)
    fidelity = [r for r in data if r and r[0] == "fidelity"]
    assert len(fidelity) == 2 * 8
    north_transparency = next(r for r in fidelity if r[1] == "North" and r[2] == "Transparency")
    assert north_transparency[8] == "Drifting down"
    assert float(north_transparency[7]) <= -0.4
    south = [r for r in fidelity if r[1] == "South"]
    assert all(r[4] == "not enough responses" for r in south)
    text = response.get_data(as_text=True)
    for person in drifting_north:
        assert person.display_name not in text and person.email not in text
    page = client.get("/dashboard/drift").get_data(as_text=True)
    assert f"{float(north_transparency[4]):.1f}" in page


def test_date_range_filters_and_bad_range_is_refused(client_for, drifting_north):
    """Does a date range change the months shown (not the baseline), and a bad one get a
    clear 400?"""
    client = client_for("leader")
    today = date.today()
    first = drift.month_range(today - timedelta(days=62), today)[0]
    response = client.get(f"/dashboard/drift.csv?from={first:%Y-%m}&to={today:%Y-%m}")
    north = [r for r in rows(response) if r and r[1] == "North" and r[0] == "fidelity"]
    assert all(r[3] >= f"{first:%Y-%m}" for r in north)
    assert all(r[6] == "3.0" for r in north)  # the first three months, before the range
    assert {r[2]: r[8] for r in north}["Transparency"] == "Drifting down"
    bad = client.get("/dashboard/drift?from=2026-13&to=nonsense")
    assert bad.status_code == 400 and b"Enter months as YYYY-MM" in bad.data
    backwards = client.get("/dashboard/drift?from=2026-05&to=2026-01")
    assert backwards.status_code == 400 and b"must come before" in backwards.data
    assert client.get("/dashboard/drift.csv?from=bad").status_code == 400


def test_no_filter_singles_out_a_person(client_for, drifting_north, world):
    """Are person-shaped query parameters ignored rather than narrowing the figures?"""
    client = client_for("leader")
    base = client.get("/dashboard/drift.csv").get_data(as_text=True)
    forged = client.get(
        f"/dashboard/drift.csv?user_id={world.staff.id}&person={world.staff.email}"
    ).get_data(as_text=True)
    assert base == forged


def test_participation_depth_needs_enough_people(client_for, drifting_north, world, app):
    """Is participation shown per active person, and suppressed for small teams?"""
    client = client_for("leader")
    module = next(iter(app.extensions["content"].library))
    factories.create_reflection(world.staff, module, share_team=world.north)
    data = rows(client.get("/dashboard/drift.csv"))
    north = next(r for r in data if r and r[0] == "participation" and r[1] == "North")
    south = next(r for r in data if r and r[0] == "participation" and r[1] == "South")
    assert north[2] == "3-9" and north[3] == one_decimal(1 / 4)
    assert south[2] == "not enough responses"


def test_quiet_team_is_flagged(client_for, drifting_north, world, create_user):
    """Is a team with no self-checks or reflections for QUIET_AFTER_DAYS flagged quiet,
    and never a team too small to say so without describing its one or two people?"""
    for _ in range(2):
        create_user(teams={world.south: "member"})
    solo = factories.create_team("Solo")
    create_user(teams={solo: "member"})
    client = client_for("leader")
    page = client.get("/dashboard/drift").get_data(as_text=True)
    assert "<strong>South</strong> has been quiet" in page
    assert "<strong>North</strong> has been quiet" not in page
    assert "<strong>Solo</strong> has been quiet" not in page


def test_quiet_teams_look_at_recent_submitted_checks_and_reflections(app, world, create_user):
    """Is a team quiet despite a draft and an old reflection, and awake after either kind
    of recent writing?"""
    from learning_hub.selfchecks import services as selfchecks

    create_user(teams={world.north: "member"})
    for _ in range(2):
        create_user(teams={world.south: "member"})
    module = next(iter(app.extensions["content"].library))
    teams = [world.north, world.south]
    assert selfchecks.quiet_teams(teams) == {world.north.id, world.south.id}
    factories.create_selfcheck(app, world.outsider, submit=False)
    old = factories.create_reflection(world.outsider, module)
    old.created_at = utcnow() - timedelta(days=app.config["QUIET_AFTER_DAYS"] + 1)
    db.session.commit()
    factories.create_reflection(world.staff, module)
    assert selfchecks.quiet_teams(teams) == {world.south.id}
    factories.create_selfcheck(app, world.outsider)
    assert selfchecks.quiet_teams(teams) == set()
    later = utcnow() + timedelta(days=app.config["QUIET_AFTER_DAYS"] + 1)
    assert selfchecks.quiet_teams(teams, now=later) == {world.north.id, world.south.id}


def test_csv_export_is_audited(client_for, world):
    """Is each export written to the audit log?"""
    client = client_for("leader")
    from learning_hub.core.audit import AuditEntry

    client.get("/dashboard/drift.csv")
    assert (
        db.session.scalar(
            db.select(AuditEntry).where(AuditEntry.action == "dashboard.exported")
        ).actor_id
        == world.leader.id
    )


def test_agenda_items_raised_count_as_participation(client_for, drifting_north, world):
    """Are agenda items raised part of participation depth, per active person?"""
    client = client_for("leader")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    factories.create_agenda_item(session, world.staff)
    factories.create_agenda_item(session, world.facilitator)
    data = rows(client.get("/dashboard/drift.csv"))
    header = next(r for r in data if r and r[0] == "section" and "active people" in r)
    north = next(r for r in data if r and r[0] == "participation" and r[1] == "North")
    column = header.index("agenda items raised per active person")
    assert float(north[column]) == pytest.approx(0.5)
