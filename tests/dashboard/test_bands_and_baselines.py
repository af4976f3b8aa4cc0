"""The drift pages and export: counts in bands, means to one decimal, a baseline that does
not move with the range shown, filter errors the GOV.UK way, and the facilitators' view."""

import csv
import io
import re
from datetime import timedelta

import pytest
from markupsafe import escape

from learning_hub.core.database import utcnow
from learning_hub.core.disclosure import WHY_HIDDEN
from learning_hub.dashboard import participation
from learning_hub.dashboard.services import KIND_LABELS
from learning_hub.selfchecks import drift
from tests import factories

ONE_DECIMAL = re.compile(r"[+-]?[0-9]+\.[0-9]")


@pytest.fixture
def instrument(app):
    return app.extensions["content"].library.instrument


@pytest.fixture
def months(app, world, create_user, instrument):
    """North: four people whose transparency falls from 3 to 1 over eight months; the
    months (first days), oldest first."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(2)
    ]
    now = utcnow()
    moments = [now - timedelta(days=30 * months_ago) for months_ago in range(8, 0, -1)]
    for index, moment in enumerate(moments):
        level = 3 if index < 5 else 1
        for person in people:
            ratings = {
                i.id: (level if i.principle == "transparency" else 3) for i in instrument.items
            }
            factories.create_selfcheck(app, person, ratings, submitted_at=moment)
    return [drift.period_of(moment) for moment in moments]


def rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def fidelity(data, team="North", principle="Transparency"):
    return next(r for r in data if r and r[0] == "fidelity" and r[1] == team and r[2] == principle)


def words(period):
    return period.strftime("%b %Y")


# --- 1. bands and one decimal -------------------------------------------------------------


def test_the_export_shows_bands_and_one_decimal(client_for, months):
    """Does the CSV give contributor counts as bands and every mean to one decimal?"""
    data = rows(client_for("leader").get("/dashboard/drift.csv"))
    header = data[0]
    row = fidelity(data)
    assert row[header.index("people")] == "3-9"
    for column in ("latest value", "baseline", "change from baseline"):
        assert ONE_DECIMAL.fullmatch(row[header.index(column)]), (column, row)
    depth_header = next(r for r in data if r and r[0] == "section" and "active people" in r)
    north = next(r for r in data if r and r[0] == "participation" and r[1] == "North")
    assert north[depth_header.index("active people")] == "3-9"
    for name in participation.KIND_NAMES:
        column = depth_header.index(f"{KIND_LABELS[name].lower()} per active person")
        assert ONE_DECIMAL.fullmatch(north[column]), (name, north)


def test_kind_labels_cover_every_kind_counted():
    """Has every kind of participation a label, from the seven the dashboard knows?"""
    assert set(participation.KIND_NAMES) <= set(KIND_LABELS)
    assert len(KIND_LABELS) == 7


def test_pages_show_bands_not_exact_counts(client_for, months, world):
    """Do the dashboard and the team's drift page show "3-9", never "4 people"?"""
    client = client_for("leader")
    page = client.get("/dashboard/drift").get_data(as_text=True)
    depth = page[page.index('id="depth-heading"') :]
    assert "3-9" in depth
    assert re.search(r"<td>4</td>", depth) is None
    team_page = client.get(f"/dashboard/drift/teams/{world.north.id}").get_data(as_text=True)
    assert "3-9 people" in team_page
    assert "4 people" not in team_page
    principle_page = client.get("/dashboard/drift/principles/transparency").get_data(as_text=True)
    assert "3-9 people" in principle_page
    assert "4 people" not in principle_page


def test_hidden_figures_say_why(client_for, months, world):
    """Where a figure is hidden, does the page say "not enough responses" and why?"""
    client = client_for("leader")
    for url in (
        "/dashboard/drift",
        f"/dashboard/drift/teams/{world.south.id}",
        "/dashboard/drift/principles/transparency",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "not enough responses" in page.lower(), url
        assert str(escape(WHY_HIDDEN)) in page, url


# --- 2. honest baselines ------------------------------------------------------------------


def test_the_baseline_does_not_move_with_the_range(client_for, months):
    """Does a shorter range keep each team's baseline, and say which months it is?"""
    client = client_for("leader")
    whole = fidelity(rows(client.get("/dashboard/drift.csv")))
    later = fidelity(
        rows(client.get(f"/dashboard/drift.csv?from={months[4]:%Y-%m}&to={months[-1]:%Y-%m}"))
    )
    assert whole[6] == later[6] == "3.0"
    assert later[8] == "Drifting down"
    page = client.get(f"/dashboard/drift?from={months[4]:%Y-%m}&to={months[-1]:%Y-%m}")
    text = page.get_data(as_text=True)
    assert f"Baseline: {words(months[0])} to {words(months[2])}" in text


def test_the_baseline_is_named_on_every_drift_page(client_for, months, world):
    """Do the team and principle pages name the baseline months too?"""
    client = client_for("leader")
    named = f"{words(months[0])} to {words(months[2])}"
    for url in (
        f"/dashboard/drift/teams/{world.north.id}",
        "/dashboard/drift/principles/transparency",
    ):
        assert named in client.get(url).get_data(as_text=True), url


def test_a_baseline_outside_the_range_is_read(client_for, months):
    """Does a baseline set before the range shown still give a baseline and a signal?"""
    client = client_for("leader")
    query = (
        f"from={months[5]:%Y-%m}&to={months[-1]:%Y-%m}"
        f"&baseline_from={months[0]:%Y-%m}&baseline_to={months[1]:%Y-%m}"
    )
    row = fidelity(rows(client.get(f"/dashboard/drift.csv?{query}")))
    assert row[6] == "3.0"
    assert row[8] == "Drifting down"
    page = client.get(f"/dashboard/drift?{query}").get_data(as_text=True)
    assert f"Baseline: {words(months[0])} to {words(months[1])}" in page
    assert f'value="{months[0]:%Y-%m}"' in page and f'value="{months[1]:%Y-%m}"' in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13", "from", "Enter months as YYYY-MM"),
        ("from=2026-05&to=2026-01", "from", "must come before"),
        ("baseline_from=2025-01", "baseline_to", "Give both baseline months"),
        ("baseline_from=2025-06&baseline_to=2025-01", "baseline_from", "must start before"),
    ],
)
def test_a_filter_error_is_shown_the_govuk_way(client_for, months, world, query, field, message):
    """Is a bad filter answered with a linked error summary, the field marked, "Error:" in
    the title, what was typed kept, and no figures?"""
    client = client_for("leader")
    for url in (
        "/dashboard/drift",
        f"/dashboard/drift/teams/{world.north.id}",
        "/dashboard/drift/principles/transparency",
    ):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        page = response.get_data(as_text=True)
        assert re.search(r"<title>\s*Error:", page), url
        summary = page[page.index('class="error-summary"') :]
        assert f'<a href="#{field}">' in summary and message in summary, url
        assert f'id="{field}-error"' in page, url
        assert re.search(rf'<input[^>]*id="{field}"[^>]*aria-invalid="true"', page), url
        for value in re.findall(r"=([^&]*)", query):
            assert f'value="{value}"' in page, url
        assert "data-chart=" not in page, url
        assert "Participation depth" not in page, url
        assert "Drifting down" not in page and "Steady" not in page, url


# --- 3. the facilitators' view ------------------------------------------------------------


def test_facilitators_see_their_teams_drift_and_participation(client_for, months, world, app):
    """Does a facilitator see their team's drift per principle and participation depth,
    with bands, the baseline in words, and a link from the team page?"""
    module = next(iter(app.extensions["content"].library))
    factories.create_reflection(world.staff, module, share_team=world.north)
    client = client_for("facilitator")
    team_page = client.get(f"/teams/{world.north.id}").get_data(as_text=True)
    assert f'href="/teams/{world.north.id}/fidelity"' in team_page
    response = client.get(f"/teams/{world.north.id}/fidelity")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Transparency" in page and "Drifting down" in page
    assert f"Baseline: {words(months[0])} to {words(months[2])}" in page
    assert "3-9" in page and "4 people" not in page
    assert "Participation depth" in page and KIND_LABELS["reflections"] in page


def test_only_facilitators_see_the_teams_drift(client_for, months, world):
    """Do members who do not facilitate get 403, and people outside the team 404?"""
    url = f"/teams/{world.north.id}/fidelity"
    assert client_for("staff").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("leader").get(url).status_code == 404
    staff_team_page = client_for("staff").get(f"/teams/{world.north.id}").get_data(as_text=True)
    assert f'href="{url}"' not in staff_team_page


def test_a_small_team_shows_no_figures_to_its_facilitator(client_for, world, create_user, app):
    """Does a facilitator of a team with too few people see "not enough responses" and
    why, never a figure?"""
    factories.create_selfcheck(app, world.staff, 2)
    factories.create_selfcheck(app, world.facilitator, 4)
    page = client_for("facilitator").get(f"/teams/{world.north.id}/fidelity").get_data(as_text=True)
    assert "not enough responses" in page.lower()
    assert str(escape(WHY_HIDDEN)) in page
    assert "3.0" not in page


# --- 4. the worked example of docs/drift.md ------------------------------------------------

# Each of five people's transparency score, month by month (docs/drift.md, section 7).
WORKED_EXAMPLE = {
    (2025, 12): [4, 3, 3, 3, 3],
    (2026, 1): [3, 3, 3, 3, 3],
    (2026, 2): [4, 3, 3, 3, 3],
    (2026, 3): [3, 3, 2, 2, 2],
    (2026, 4): [2, 2, 2, 2, 2],
    (2026, 5): [2, 2, 2, 2, 2],
}


def test_the_worked_example_of_the_docs(app, world, create_user, instrument, client_for):
    """Do the pages say what docs/drift.md's worked example says, whatever range is shown?"""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(3)
    ]
    for (year, month), scores in WORKED_EXAMPLE.items():
        moment = utcnow().replace(year=year, month=month, day=15)
        for person, score in zip(people, scores, strict=True):
            ratings = {
                i.id: (score if i.principle == "transparency" else 3) for i in instrument.items
            }
            factories.create_selfcheck(app, person, ratings, submitted_at=moment)
    client = client_for("leader")
    for query in ("from=2025-12&to=2026-05", "from=2026-03&to=2026-05"):
        row = fidelity(rows(client.get(f"/dashboard/drift.csv?{query}")))
        assert row[6:] == ["3.1", "-0.7", "Drifting down", "2026-04", "2025-12 to 2026-02"]
        page = client.get(f"/dashboard/drift?{query}").get_data(as_text=True)
        assert "Baseline: Dec 2025 to Feb 2026" in page
        assert "drifting down by 0.7 points against the baseline of 3.1, since April 2026" in page
    april = fidelity(rows(client.get("/dashboard/drift.csv?from=2025-12&to=2026-04")))
    assert april[6:9] == ["3.1", "-0.5", "Steady"]
