"""The leader's attacks on group figures: can anything about one person be worked out?

Each test plays one attack as a leader (or, for case insights, a team member) would:
through the pages and the CSV export, then with the arithmetic an attacker would do on
what they saw. Each asserts that the attack recovers nothing about one person (the
disclosure rules of docs/threat-model.md: attribution fixed when a contribution is made,
primary and complementary suppression, contributor counts in bands beside means given to
one decimal, no two shown groups that differ by fewer than MIN_GROUP_SIZE people).

The attacker's arithmetic reads figures as shown: a count in a band ("3-9") may be any
number in it; a mean shown as "3.4" may be anything that rounds to it.
"""

import csv
import html
import io
import itertools
import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from html.parser import HTMLParser

import pytest

from learning_hub.content import PRINCIPLES
from learning_hub.core.database import utcnow
from learning_hub.core.disclosure import HIDDEN
from learning_hub.core.extensions import db
from tests import factories

YEAR = 2025
# The participation columns, by the headers the CSV has today (new columns may follow).
ACTIVE = "active people"
PER_PERSON = " per active person"
BAND = re.compile(r"(\d+)-(\d+)|(\d+)\+")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
# The open band's top, for the attacker's enumeration: no team here comes near it.
OPEN_BAND_TOP = 200


# --- Reading what a leader is shown ------------------------------------------------------


def at(month, day=10, year=YEAR):
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


def month_text(month, year=YEAR):
    return f"{year}-{month:02d}"


def download(client, first, last):
    """The CSV export for the months ``first`` to ``last`` ("YYYY-MM"), as rows."""
    response = client.get(f"/dashboard/drift.csv?from={first}&to={last}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def sections(rows):
    """{section: [row as {header: cell}]}, each row read under the header row above it."""
    found, header = {}, None
    for row in rows:
        if not row:
            continue
        if row[0] == "section":
            header = row
            continue
        found.setdefault(row[0], []).append(dict(zip(header, row, strict=False)))
    return found


def fidelity_cells(rows):
    """{(team, principle label): row} of a download's fidelity section."""
    return {(r["team"], r["principle"]): r for r in sections(rows).get("fidelity", [])}


def participation_rows(rows):
    """{team: row} of a download's participation section."""
    return {r["team"]: r for r in sections(rows).get("participation", [])}


class _Tables(HTMLParser):
    """Every table of a page as rows of cell texts (whitespace collapsed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
            self.tables[-1].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(page):
    parser = _Tables()
    parser.feed(page)
    return [table for table in parser.tables if table]


def table_with(page, *headers):
    """The first table whose header row holds every one of ``headers`` (case ignored)."""
    for table in tables(page):
        heads = [cell.lower() for cell in table[0]]
        if all(
            any(h.lower() == cell or cell.startswith(h.lower()) for cell in heads) for h in headers
        ):
            return table
    return None


def charts(page):
    """The data of every chart on a page (the ``data-chart`` attributes)."""
    return [json.loads(html.unescape(raw)) for raw in re.findall(r'data-chart="([^"]*)"', page)]


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def page_text(page):
    """A page's text, tags removed, one line per line of the source."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def shown_figures(page):
    """What a page shows as figures: its tables and its charts' data."""
    return {"tables": tables(page), "charts": charts(page)}


def leading_number(cell):
    """The figure a cell starts with ("3.4 (+0.2), Steady" -> "3.4"), or None."""
    found = NUMBER.match(cell.strip())
    return found.group(0) if found else None


def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def interval(text):
    """Every value a figure shown as ``text`` may stand for, as (low, high); None when
    ``text`` is not a figure (hidden, blank)."""
    if text is None or not NUMBER.fullmatch(text.strip()):
        return None
    half = Fraction(1, 2 * 10 ** decimals(text))
    value = Fraction(text.strip())
    return value - half, value + half


def people_range(text):
    """Every number of people a count shown as ``text`` may stand for: a band covers its
    range, an exact count only itself. None when no count is shown."""
    text = (text or "").strip()
    band = BAND.fullmatch(text)
    if band:
        if band.group(3):
            return range(int(band.group(3)), OPEN_BAND_TOP + 1)
        return range(int(band.group(1)), int(band.group(2)) + 1)
    if text.isdigit():
        return range(int(text), int(text) + 1)
    return None


def rounds_to(value, shown):
    """Whether ``value`` is shown as ``shown`` when given to as many decimals."""
    return f"{float(value):.{decimals(shown)}f}" == shown.strip()


def exact_pairs(people_text, per_person_text, max_people=None):
    """Every (people, total) consistent with a participation row: the people shown (a
    band or exactly) and a per-person figure that rounds to what is shown. None when the
    row shows no figure (nothing is learned from it)."""
    people = people_range(people_text)
    if people is None or interval(per_person_text) is None:
        return None
    low, high = interval(per_person_text)
    pairs = set()
    for p in people:
        if max_people is not None and p > max_people:
            continue
        for total in range(max(0, int(low * p) - 1), int(high * p) + 2):
            if p and rounds_to(Fraction(total, p), per_person_text):
                pairs.add((p, total))
    return pairs


# --- Making realistic history ------------------------------------------------------------


@pytest.fixture
def instrument(app):
    return app.extensions["content"].library.instrument


@pytest.fixture
def module(app):
    return next(iter(app.extensions["content"].library))


def ratings_for(instrument, person, month):
    """Ratings that differ from person to person, item to item and month to month, most of
    them "sometimes" to "consistently" as in real teams (the same on every run)."""
    pick = random.Random(f"{person}-{month}")
    return {item.id: pick.choice((1, 2, 2, 3, 3, 3, 4, 4)) for item in instrument.items}


def principle_score(instrument, ratings, principle):
    values = [ratings[i.id] for i in instrument.items if i.principle == principle]
    return Fraction(sum(values), len(values))


def possible_scores(instrument, principle):
    """Every score a person can have for ``principle``: a mean of 0-4 ratings."""
    n = sum(1 for i in instrument.items if i.principle == principle)
    return {Fraction(k, n) for k in range(4 * n + 1)}


def take_checks(app, instrument, people, months, year=YEAR):
    """Each person takes a self-check in each month; returns {(person id, month): ratings}."""
    taken = {}
    for month in months:
        for index, person in enumerate(people):
            ratings = ratings_for(instrument, index + person.id, month)
            factories.create_selfcheck(app, person, ratings, submitted_at=at(month, year=year))
            taken[person.id, month] = ratings
    return taken


def write_reflections(author, module, month_counts, year=YEAR):
    """Private reflections: ``month_counts`` maps month -> how many the author wrote."""
    for month, count in month_counts.items():
        for n in range(count):
            factories.create_reflection(
                author,
                module,
                body=f"What I noticed in month {month}, note {n + 1}.",
                created_at=at(month, day=12 + n, year=year),
            )


def remove_from_team(admin_client, team, user):
    """Remove ``user`` from ``team`` as an admin does on the team's page."""
    response = admin_client.post(f"/admin/teams/{team.id}/members/{user.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()


def add_to_team(admin_client, team, user, role="member"):
    """Add ``user`` to ``team`` as an admin does on the team's page."""
    response = admin_client.post(
        f"/admin/teams/{team.id}/members", data={"email": user.email, "role": role}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()


def leader_views(client, teams, months):
    """Everything a leader can download or open about ``teams`` for ``months`` of YEAR:
    the CSV and the dashboard for each month alone and for the whole range, and for the
    range each team's and each principle's drill-down page.

    ``{view: {team name: what the view shows of that team}}``.
    """
    names = [team.name for team in teams]
    first, last = month_text(months[0]), month_text(months[-1])
    ranges = [(month_text(m), month_text(m)) for m in months] + [(first, last)]
    seen = {}
    for low, high in ranges:
        rows = download(client, low, high)
        cells, depth = fidelity_cells(rows), participation_rows(rows)
        seen[f"csv {low}..{high}"] = {
            name: {
                "fidelity": {p: row for (t, p), row in cells.items() if t == name},
                "participation": depth.get(name),
            }
            for name in names
        }
        page_tables = tables(page_of(client, f"/dashboard/drift?from={low}&to={high}"))
        seen[f"dashboard {low}..{high}"] = {
            name: [[t[0]] + [row for row in t[1:] if row[0] == name] for t in page_tables]
            for name in names
        }
    query = f"from={first}&to={last}"
    seen["team page"] = {
        team.name: shown_figures(page_of(client, f"/dashboard/drift/teams/{team.id}?{query}"))
        for team in teams
    }
    for key in PRINCIPLES:
        page = page_of(client, f"/dashboard/drift/principles/{key}?{query}")
        latest, chart_table = table_with(page, "Team", "Latest"), table_with(page, "Month")
        page_charts = charts(page)
        seen[f"principle page {key}"] = {
            name: {
                "latest": [row for row in latest[1:] if row[0] == name],
                "chart rows": _team_column(chart_table, name),
                "chart": [
                    (chart["labels"], dataset["data"])
                    for chart in page_charts
                    for dataset in chart["datasets"]
                    if dataset["label"] == name
                ],
            }
            for name in names
        }
    return seen


def _team_column(table, name):
    """(month, figure) of one team's column of a chart's table."""
    if table is None or name not in table[0]:
        return []
    column = table[0].index(name)
    return [(row[0], row[column]) for row in table[1:] if len(row) > column]


def figures_of(seen, team, month, principle):
    """Every figure the leader saw for one team, month and principle, in every view."""
    label, name = PRINCIPLES[principle], team.name
    month_label = date(YEAR, month, 1).strftime("%b %Y")
    one_month = f"{month_text(month)}..{month_text(month)}"
    found = []
    for view, shown in seen.items():  # a download names the month of its latest figure
        cell = shown[name]["fidelity"].get(label) if view.startswith("csv") else None
        if cell and cell.get("latest month") == month_text(month):
            found.append(cell["latest value"])
    for table in seen[f"dashboard {one_month}"][name]:
        if label in table[0]:
            column = table[0].index(label)
            found += [row[column] for row in table[1:] if len(row) > column]
    team_page = seen["team page"][name]
    for table in team_page["tables"]:
        header = table[0]
        if header[0] == "Month" and label in header:
            column = header.index(label)
            found += [row[column] for row in table[1:] if row[0] == month_label]
        if header[0] == "Principle":  # latest value, with the month it is from
            found += [r[1] for r in table[1:] if r[0] == label and month_label in r[1]]
    for chart in team_page["charts"]:
        if month_label in chart["labels"]:
            index = chart["labels"].index(month_label)
            found += [d["data"][index] for d in chart["datasets"] if d["label"] == label]
    principle_page = seen[f"principle page {principle}"][name]
    found += [row[1] for row in principle_page["latest"] if month_label in row[1]]
    found += [value for shown, value in principle_page["chart rows"] if shown == month_label]
    for labels, data in principle_page["chart"]:
        if month_label in labels:
            found.append(data[labels.index(month_label)])
    return [repr(f) if isinstance(f, float | int) else f for f in found if f is not None]


def what_is_known(figures):
    """What the attacker knows of a value from every figure shown for it: (low, high),
    or None when none was shown."""
    known = None
    for figure in figures:
        shown = interval(leading_number(figure))
        if shown is None:
            continue
        known = shown if known is None else (max(known[0], shown[0]), min(known[1], shown[1]))
    return known


# --- 1. Attribution is fixed when a contribution is made ---------------------------------


@pytest.fixture
def north_history(app, world, create_user, instrument, module):
    """North: five people who took a self-check every month from January to June of YEAR
    and wrote private reflections; Sam Staff is the one who will leave."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(3)
    ]
    take_checks(app, instrument, people, range(1, 7))
    for index, person in enumerate(people):
        write_reflections(person, module, {1 + index: 1, 6: 1 + index % 2})
    write_reflections(world.staff, module, {2: 2, 5: 3})
    return people


def test_leaving_a_team_changes_no_past_figure(world, client_for, north_history, cache_expires):
    """Can a leader who downloads North's figures before and after Sam leaves subtract one
    from the other to get Sam's private scores and how much Sam wrote?"""
    leader = client_for("leader")
    months = list(range(1, 7))
    before = leader_views(leader, [world.north], months)

    remove_from_team(client_for("admin"), world.north, world.staff)
    cache_expires()  # the attacker waits until the dashboard is worked out afresh

    after = leader_views(leader, [world.north], months)
    for view, figures in before.items():
        assert after[view] == figures, f"{view} changed when Sam left North"


def test_joining_a_team_imports_no_past(
    app, world, client_for, create_user, north_history, instrument, module, cache_expires
):
    """Can a leader who downloads North's figures before and after Owen joins it subtract
    one from the other to get the scores and writing Owen did in South?"""
    south = [world.outsider] + [create_user(teams={world.south: "member"}) for _ in range(3)]
    take_checks(app, instrument, south, range(1, 7))
    write_reflections(world.outsider, module, {3: 2, 6: 1})
    leader = client_for("leader")
    months = list(range(1, 7))
    before = leader_views(leader, [world.north], months)

    add_to_team(client_for("admin"), world.north, world.outsider)
    cache_expires()

    after = leader_views(leader, [world.north], months)
    for view, figures in before.items():
        assert after[view] == figures, f"{view} changed when Owen joined North"


# --- 2. Two teams that differ by one member ----------------------------------------------


@pytest.fixture
def overlapping_teams(app, create_team, create_user, instrument, module):
    """Riverside {A, B, C, D} and Riverside Duty {A, B, C}: A, B and C are on the duty
    rota as well; D is not. All four took a self-check in March, April and May."""
    x = create_team("Riverside")
    y = create_team("Riverside Duty")
    abc = [create_user(teams={x: "member", y: "member"}) for _ in range(3)]
    d = create_user(name="Dana Dee", teams={x: "member"})
    checks = take_checks(app, instrument, [*abc, d], (3, 4, 5))
    for person, counts in zip(abc, ({3: 1, 4: 1}, {3: 1, 4: 1, 5: 1}, {5: 1}), strict=True):
        write_reflections(person, module, counts)
    write_reflections(d, module, {3: 1, 4: 2, 5: 1})
    return x, y, abc, d, checks


def test_two_teams_that_differ_by_one_member_do_not_give_away_that_member(
    client_for, overlapping_teams, instrument
):
    """Can a leader take four times Riverside's figure less three times Riverside Duty's,
    for any month and principle, and get Dana's private score?"""
    x, y, abc, d, checks = overlapping_teams
    seen = leader_views(client_for("leader"), [x, y], [3, 4, 5])
    recovered = []
    for month, principle in itertools.product((3, 4, 5), PRINCIPLES):
        everything = possible_scores(instrument, principle)
        known_x = what_is_known(figures_of(seen, x, month, principle))
        known_y = what_is_known(figures_of(seen, y, month, principle))
        if known_x is None or known_y is None:
            continue  # one of the two is hidden: nothing to subtract
        # Riverside's total is 4 x its mean, Riverside Duty's 3 x its mean; Dana's
        # score is the difference.
        low, high = 4 * known_x[0] - 3 * known_y[1], 4 * known_x[1] - 3 * known_y[0]
        consistent = {s for s in everything if low <= s <= high}
        if consistent != everything:
            secret = principle_score(instrument, checks[d.id, month], principle)
            recovered.append(
                (month_text(month), principle, sorted(map(str, consistent)), str(secret))
            )
    assert not recovered, (
        "Dana's score narrowed down (month, principle, values still possible, her score): "
        f"{recovered}"
    )


def test_two_teams_that_differ_by_one_member_show_no_participation_difference(
    client_for, overlapping_teams
):
    """Can a leader subtract Riverside Duty's participation from Riverside's, on the
    dashboard or in the CSV, and get how much Dana wrote and how many self-checks she
    took?"""
    x, y, abc, d, checks = overlapping_teams
    client = client_for("leader")
    views = []
    rows = participation_rows(download(client, "2025-03", "2025-05"))
    views.append(("CSV", rows.get(x.name), rows.get(y.name)))
    page = page_of(client, "/dashboard/drift?from=2025-03&to=2025-05")
    table = table_with(page, "Team", "Active people")
    header = [cell.lower() for cell in table[0]]
    by_team = {row[0]: dict(zip(header, row, strict=False)) for row in table[1:]}
    views.append(("dashboard", by_team.get(x.name), by_team.get(y.name)))
    recovered = []
    for view, row_x, row_y in views:
        if row_x is None or row_y is None:
            continue
        people = next(k for k in row_x if k.startswith("active people"))
        for column in row_x:
            if column in ("section", "team", "quiet", people):
                continue
            # Riverside has Dana and Riverside Duty's people; Dana either did something
            # in the range (one more active person) or did not (the same people).
            pairs_x = exact_pairs(row_x[people], row_x[column], max_people=4)
            pairs_y = exact_pairs(row_y[people], row_y.get(column, ""), max_people=3)
            if pairs_x is None or pairs_y is None:
                continue
            danas = {
                tx - ty
                for (px, tx), (py, ty) in itertools.product(pairs_x, pairs_y)
                if px == py + 1 or (px == py and tx == ty)
            }
            if all(total == 0 for _, total in pairs_x | pairs_y):
                continue  # nobody in either team did this: a zero singles out no one
            if len(danas) == 1:
                recovered.append((view, column, danas.pop()))
    assert not recovered, f"Dana's own count recovered (view, column, count): {recovered}"


# --- 3. Totals minus shown groups on case insights ---------------------------------------


def _spell_entries(start):
    return [
        (start, "attended"),
        (start + timedelta(days=10), "missed"),
        (start + timedelta(days=40), "no-answer"),
        (start + timedelta(days=60), "reached"),
    ]


def _steady_entries(start):
    return [(start, "attended"), (start + timedelta(days=14), "reached")]


@pytest.fixture
def north_cases(world):
    """North's 15 cases: 6 female (3 with a spell of disengagement), 7 male (2), and 2 of
    another gender (both)."""
    start = date.today() - timedelta(days=200)
    groups = {"female": (6, 3), "male": (7, 2), "another": (2, 2)}
    for gender, (cases, with_spell) in groups.items():
        for n in range(cases):
            entries = _spell_entries(start) if n < with_spell else _steady_entries(start)
            factories.create_case(world.north, world.staff, gender=gender, entries=entries)
    return groups


def test_insights_total_minus_shown_genders_gives_no_small_group(
    app, world, client_for, north_cases
):
    """Can a member of North take the shown genders' cases (and their spells) from the
    team's totals on its insights page, and learn about the two cases of another
    gender?"""
    page = page_of(client_for("facilitator"), f"/teams/{world.north.id}/insights")
    text = " ".join(page_text(page).split())
    total = re.search(r"\bof (\d+) cases\b", text)
    spells = re.search(r"(\d+) of \d+ cases\b", text)
    table = table_with(page, "Gender", "Cases")
    shown = []
    for row in table[1:] if table else []:
        cases = row[1] if len(row) > 1 else ""
        share = row[2] if len(row) > 2 else ""
        if cases.isdigit():
            spelled = (
                round(int(cases) * int(share.rstrip("%")) / 100) if share[:-1].isdigit() else None
            )
            shown.append((row[0], int(cases), spelled))
    if total is None:
        return  # the total is hidden: nothing to subtract from
    cases = int(total.group(1))
    hidden_cases = cases - sum(n for _, n, _ in shown)
    hidden_spells = (
        int(spells.group(1)) - sum(s for _, _, s in shown if s is not None) if spells else "?"
    )
    min_group = app.config["MIN_GROUP_SIZE"]
    assert not 0 < hidden_cases < min_group, (
        f"{cases} cases less the shown groups {shown} leaves {hidden_cases} cases, "
        f"{hidden_spells} of them with a spell of disengagement"
    )


# --- 4. Totals minus shown parts: the months of a range ----------------------------------


@pytest.fixture
def quiet_march(app, world, create_user, instrument, module):
    """North: five people active every month from January to June, except March, when
    only Sam took a self-check and wrote three reflections."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(3)
    ]
    take_checks(app, instrument, people, (1, 2, 4, 5, 6))
    take_checks(app, instrument, [world.staff], (3,))
    for index, person in enumerate(people):
        write_reflections(person, module, {1: 1, (2, 4)[index % 2]: 1, 5 + index % 2: 1})
    write_reflections(world.staff, module, {3: 3})
    return people


def test_a_range_total_minus_its_shown_months_gives_away_no_hidden_month(
    client_for, world, quiet_march
):
    """Can a leader take January-June's participation less each month's shown on its own,
    and get what Sam, the only person active in March, did in March?"""
    client = client_for("leader")
    whole = participation_rows(download(client, "2025-01", "2025-06"))[world.north.name]
    months = {
        month: participation_rows(download(client, month_text(month), month_text(month)))[
            world.north.name
        ]
        for month in range(1, 7)
    }
    people = next(k for k in whole if k.startswith(ACTIVE))
    determined = []
    for column in whole:
        if not column.endswith(PER_PERSON):
            continue
        in_range = exact_pairs(whole[people], whole[column])
        if in_range is None:
            continue
        shown_months = {
            m: exact_pairs(row[people], row.get(column, "")) for m, row in months.items()
        }
        hidden = [m for m, pairs in shown_months.items() if pairs is None]
        if len(hidden) != 1:
            continue  # none hidden, or several: their sum is all the subtraction gives
        # Every total the shown months may add up to, then what is left for the hidden one.
        sums = {0}
        for pairs in shown_months.values():
            if pairs is not None:
                sums = {s + t for s in sums for _, t in pairs}
        left = {t - s for _, t in in_range for s in sums if t >= s}
        if all(total == 0 for _, total in in_range):
            continue  # nobody did this in the whole range: a zero singles out no one
        if len(left) <= 1:
            determined.append((month_text(hidden[0]), column, sorted(left)))
    assert not determined, f"a hidden month's count is determined: {determined}"


# --- 5. A range that ends one month later ------------------------------------------------


@pytest.fixture
def december_alone(app, world, create_user, instrument, module):
    """North: six people active from January to November; in December only Sam took a
    self-check and wrote two reflections."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(4)
    ]
    for index, person in enumerate(people):
        months = [m for m in range(1, 12) if (m + index) % 3 != 0]
        take_checks(app, instrument, [person], months)
        write_reflections(person, module, {1 + index: 1 + index % 2, 9: 1})
    take_checks(app, instrument, [world.staff], [12])
    write_reflections(world.staff, module, {12: 2})
    return people


def test_a_range_one_month_longer_gives_away_nothing_of_december(client_for, world, december_alone):
    """Can a leader download January-November and January-December and take one from the
    other to get how much Sam, the only person active in December, did in December?"""
    client = client_for("leader")
    november = participation_rows(download(client, "2025-01", "2025-11"))[world.north.name]
    december = participation_rows(download(client, "2025-01", "2025-12"))[world.north.name]
    people = next(k for k in november if k.startswith(ACTIVE))
    determined = []
    for column in november:
        if not column.endswith(PER_PERSON):
            continue
        before = exact_pairs(november[people], november[column])
        after = exact_pairs(december[people], december.get(column, ""))
        if before is None or after is None:
            continue
        # Only one person did anything in December: the active people are the same, or
        # one more; December's count is what the range's total grew by.
        decembers = {
            t2 - t1
            for (p1, t1), (p2, t2) in itertools.product(before, after)
            if p2 in (p1, p1 + 1) and t2 >= t1
        }
        if all(total == 0 for _, total in after):
            continue  # nobody did this in the whole year: a zero singles out no one
        if len(decembers) <= 1:
            determined.append((column, sorted(decembers)))
    assert not determined, f"Sam's December count is determined (column, values): {determined}"


def test_a_month_with_one_contributor_shows_no_figure(client_for, world, december_alone):
    """Can a leader read Sam's December scores from a December download, or see them move
    a figure of a range that ends in December?"""
    client = client_for("leader")
    only_december = fidelity_cells(download(client, "2025-12", "2025-12"))
    north = {k: v for k, v in only_december.items() if k[0] == world.north.name}
    assert len(north) == len(PRINCIPLES)
    assert all(row["latest value"] == HIDDEN for row in north.values())
    to_november = fidelity_cells(download(client, "2025-01", "2025-11"))
    to_december = fidelity_cells(download(client, "2025-01", "2025-12"))
    for key, row in to_november.items():
        if key[0] == world.north.name:
            assert to_december[key] == row, f"{key} moved with Sam's December check"
    page = page_of(client, f"/dashboard/drift/teams/{world.north.id}?from=2025-01&to=2025-12")
    for table in tables(page):
        for row in table:
            if row and row[0] == "Dec 2025":
                assert not any(interval(leading_number(cell)) for cell in row[1:]), row
    for chart in charts(page):
        december_index = chart["labels"].index("Dec 2025")
        assert all(d["data"][december_index] is None for d in chart["datasets"])


# --- 6. Counts beside means are bands, means one decimal ---------------------------------


@pytest.fixture
def recent_north(app, world, create_user, instrument, module):
    """North: five people who took a self-check in each of the last five months."""
    people = [world.staff, world.facilitator] + [
        create_user(teams={world.north: "member"}) for _ in range(3)
    ]
    now = utcnow()
    for months_ago in range(5, 0, -1):
        moment = now - timedelta(days=30 * months_ago)
        for index, person in enumerate(people):
            ratings = ratings_for(instrument, index, moment.month)
            factories.create_selfcheck(app, person, ratings, submitted_at=moment)
            if index % 2:
                factories.create_reflection(person, module, created_at=moment)
    return people


def _is_band(text):
    return BAND.fullmatch(text.strip()) is not None


def _one_decimal(text):
    return re.fullmatch(r"[+-]?\d+\.\d", text.strip()) is not None


def _page_faults(page, people_columns=()):
    """Figures on a page given to more than one decimal, and counts of people that are
    not bands ("4 people"; a column headed "Active people")."""
    faults = []
    for table in tables(page):
        header = [cell.lower() for cell in table[0]]
        counted = {i for i, cell in enumerate(header) if cell in people_columns}
        for row in table[1:]:
            for index, cell in enumerate(row):
                for figure in re.findall(r"\d+\.\d+", cell):
                    if decimals(figure) != 1:
                        faults.append(("mean not to one decimal", cell))
                for count in re.findall(r"([\w+-]+) people\b", cell):
                    if not _is_band(count):
                        faults.append(("exact count of people", cell))
                if index in counted and cell[:1].isdigit() and not _is_band(cell):
                    faults.append(("exact count of people", cell))
    for chart in charts(page):
        for dataset in chart["datasets"]:
            for value in dataset["data"]:
                if isinstance(value, float) and decimals(repr(value)) > 1:
                    faults.append(("chart value not to one decimal", value))
    return faults


def test_counts_beside_means_are_bands_and_means_one_decimal(client_for, world, recent_north):
    """Can a leader or facilitator read an exact number of contributors, or a mean to more
    than one decimal, anywhere a team's figures are shown, and so difference two views?"""
    leader = client_for("leader")
    faults = []
    response = leader.get("/dashboard/drift.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    for cell in sections(rows)["fidelity"]:
        where = ("CSV fidelity", cell["team"], cell["principle"])
        if cell["latest value"] == HIDDEN:
            assert cell["people"] in ("", HIDDEN), where
            continue
        if not _is_band(cell["people"]):
            faults.append((*where, "people", cell["people"]))
        for column in ("latest value", "baseline", "change from baseline"):
            if cell[column] and not _one_decimal(cell[column]):
                faults.append((*where, column, cell[column]))
    shown_rows = 0
    for cell in sections(rows)["participation"]:
        people = next(k for k in cell if k.startswith(ACTIVE))
        if people_range(cell[people]) is None:
            continue
        shown_rows += 1
        if not _is_band(cell[people]):
            faults.append(("CSV participation", cell["team"], people, cell[people]))
        for column, value in cell.items():
            if column.endswith(PER_PERSON) and not _one_decimal(value):
                faults.append(("CSV participation", cell["team"], column, value))
    assert shown_rows, "North's participation should be shown: five people took part"
    pages = {
        "dashboard": leader.get("/dashboard/drift"),
        "team drill-down": leader.get(f"/dashboard/drift/teams/{world.north.id}"),
        "facilitator's team page": client_for("facilitator").get(
            f"/teams/{world.north.id}/fidelity"
        ),
    }
    for key in PRINCIPLES:
        pages[f"principle {key}"] = leader.get(f"/dashboard/drift/principles/{key}")
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.get_data(as_text=True)
        faults += [
            (name, *fault) for fault in _page_faults(page, people_columns=("active people",))
        ]
    assert not faults, faults


# --- 7. The quiet flag -------------------------------------------------------------------


def _quiet_lines(page):
    return [line for line in page_text(page).splitlines() if "quiet" in line.lower()]


def test_quiet_flag_tells_nothing_about_a_small_team(
    app, world, client_for, create_team, create_user, module, cache_expires
):
    """Can a leader tell from the quiet flag whether the two people of a small team have
    written anything lately, while a larger team's quiet is still shown?"""
    outreach = create_team("Outreach")
    pair = [create_user(teams={outreach: "member"}) for _ in range(2)]
    harbour = create_team("Harbour")
    for _ in range(app.config["MIN_GROUP_SIZE"]):
        create_user(teams={harbour: "member"})
    leader = client_for("leader")
    page = page_of(leader, "/dashboard/drift")
    quiet = _quiet_lines(page)
    assert any("Harbour" in line for line in quiet), quiet
    for small in (outreach, world.north, world.south):
        assert not any(small.name in line for line in quiet), (small.name, quiet)
    rows = download(leader, f"{date.today():%Y-%m}", f"{date.today():%Y-%m}")
    before_csv = participation_rows(rows)[outreach.name]
    assert before_csv.get("quiet") != "yes"

    factories.create_reflection(pair[0], module)
    cache_expires()

    after = page_of(leader, "/dashboard/drift")
    assert _quiet_lines(after) == quiet
    rows = download(leader, f"{date.today():%Y-%m}", f"{date.today():%Y-%m}")
    assert participation_rows(rows)[outreach.name] == before_csv
