"""Leaders' engagement insights across teams: every figure under the disclosure rules.

The page shows, for the organisation and per team, the share of cases with a spell of
disengagement, spell lengths, the contact methods that reach people and differences by
gender. Teams with too few cases are hidden, and so is the next smallest team, so the
organisation's figures minus the teams shown give nothing.
"""

import html
import re
from datetime import timedelta

from learning_hub.cases import services
from learning_hub.cases.services import MIN_SPREAD_CASES
from learning_hub.core.disclosure import HIDDEN, WHY_HIDDEN, one_decimal
from tests import factories
from tests.cases.test_insights import START, STEADY, add_cases, table
from tests.core.test_cache import _orm_objects

URL = "/insights/engagement"


def spell_of(days):
    """Timeline entries giving one spell of ``days`` days (``days`` of 21 or more)."""
    first_failed = START + timedelta(days=5)
    return [
        (START, "attended"),
        (first_failed, "missed"),
        (first_failed + timedelta(days=3), "no-answer"),
        (first_failed + timedelta(days=days), "reached"),
    ]


def engagement_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def hidden(cells):
    return all(HIDDEN in cell for cell in cells)


def test_only_leaders_open_engagement_insights(client_for, client):
    """Does a leader get the page, every other role 403, and an anonymous visitor the log-in?"""
    assert client_for("leader").get(URL).status_code == 200
    for who in ("staff", "facilitator", "admin", "outsider"):
        assert client_for(who).get(URL).status_code == 403, who
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_leaders_find_it_in_the_navigation(client_for):
    """Is the page in a leader's main navigation, beside Drift, and in no one else's?"""
    nav = re.compile(r'<ul class="nav-links">(.*?)</ul>', re.S)
    leader = nav.search(client_for("leader").get("/").get_data(as_text=True)).group(1)
    assert f'<a href="{URL}">Engagement</a>' in leader
    assert leader.index("Drift") < leader.index("Engagement")
    marked = nav.search(client_for("leader").get(URL).get_data(as_text=True)).group(1)
    assert f'<a href="{URL}" aria-current="page">Engagement</a>' in marked
    for who in ("staff", "facilitator", "admin"):
        page = client_for(who).get("/").get_data(as_text=True)
        assert URL not in nav.search(page).group(1), who


def test_a_small_team_is_hidden_and_the_next_smallest_with_it(world, client_for, create_team):
    """With South at 2 cases, is South hidden, and East (the next smallest) too, so the
    organisation's figures minus North's do not give South's?"""
    east = create_team("East")
    add_cases(world.north, world.staff, "female", 12, spelled=4)
    add_cases(world.south, world.outsider, "female", 2, spelled=1)
    add_cases(east, world.staff, "female", 5, spelled=2)
    page = engagement_page(client_for("leader"))

    rows = dict(table(page, "spells-table"))
    assert rows["All teams"][:2] == ["10-19", "37%"]  # 7 of 19
    assert rows["North"][:2] == ["10-19", "33%"]
    assert hidden(rows["South"]) and hidden(rows["East"])
    for section in ("methods-table", "gender-table"):
        teams = dict(table(page, section))
        assert hidden(teams["South"]) and hidden(teams["East"]), section
    assert WHY_HIDDEN in page


def test_one_team_alone_hides_every_team(world, client_for):
    """With only North and South, and South too small, is North hidden too (the
    organisation minus North would be South), while the organisation's size is shown?"""
    add_cases(world.north, world.staff, "male", 8, spelled=3)
    add_cases(world.south, world.outsider, "male", 1)
    rows = dict(table(engagement_page(client_for("leader")), "spells-table"))
    assert hidden(rows["North"]) and hidden(rows["South"])
    assert rows["All teams"][0] == "3-9"


def columns_of(page, table_id):
    """{row heading: {column heading: cell}} of a table with one column per group."""
    head = re.search(rf'<table id="{table_id}">.*?<thead>(.*?)</thead>', page, re.S).group(1)
    names = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head)][1:]
    return {row: dict(zip(names, cells, strict=True)) for row, cells in table(page, table_id)}


def test_gender_differences_hide_a_small_group_and_the_next(world, client_for, create_team):
    """With 2 cases of another gender in North, is that group hidden, and the next smallest
    (female) too, for North and for the organisation, with the groups shown as bands?"""
    east, west = create_team("East"), create_team("West")
    for team in (world.north, east, west):
        add_cases(team, world.staff, "female", 6, spelled=3)
        add_cases(team, world.staff, "male", 6, spelled=3)
    add_cases(world.north, world.staff, "another", 2, spelled=1)
    rows = columns_of(engagement_page(client_for("leader")), "gender-table")

    for name in ("All teams", "North"):
        assert HIDDEN in rows[name]["Another"] and HIDDEN in rows[name]["Female"], name
    assert rows["All teams"]["Male"] == "50% of 10-19 cases"
    assert rows["North"]["Male"] == "50% of 3-9 cases"
    assert rows["East"] == {
        "Female": "50% of 3-9 cases",
        "Male": "50% of 3-9 cases",
        "Another": "no cases",
    }


def test_spell_lengths_show_the_median_and_middle_half(world, client_for):
    """Is the median spell length with its middle half shown where enough cases have a
    spell, and hidden, with the reason, where too few do?"""
    lengths = list(range(21, 21 + MIN_SPREAD_CASES + 2))
    for days in lengths:
        factories.create_case(world.north, world.staff, entries=spell_of(days))
    for days in (25, 30, 40, 50):
        factories.create_case(world.south, world.outsider, entries=spell_of(days))
    page = engagement_page(client_for("leader"))
    rows = dict(table(page, "spells-table"))

    n = len(lengths)
    median = (lengths[(n - 1) // 2] + lengths[n // 2]) / 2
    assert rows["North"][2] == f"{one_decimal(median)} days"
    q1_at, q3_at = (n - 1) / 4, 3 * (n - 1) / 4
    q1 = lengths[int(q1_at)] + (q1_at % 1) * (lengths[int(q1_at) + 1] - lengths[int(q1_at)])
    q3 = lengths[int(q3_at)] + (q3_at % 1) * (lengths[int(q3_at) + 1] - lengths[int(q3_at)])
    assert rows["North"][3] == f"{one_decimal(q1)} to {one_decimal(q3)} days"
    assert rows["South"][1] == "100%"
    assert HIDDEN in rows["South"][2] and HIDDEN in rows["South"][3]  # 4 cases: too few
    assert rows["All teams"][2] != rows["North"][2]


def test_contact_methods_show_what_reaches_people(world, client_for, create_team):
    """Is the share of entries reaching the person shown by method, with a method used
    once hidden, and the next smallest part of each of its lines with it?"""
    east, west = create_team("East"), create_team("West")
    texts = [{"occurred_on": START, "outcome": "missed", "method": "text"}] * 3
    texts += [{"occurred_on": START, "outcome": "reached", "method": "text"}] * 3
    for team in (world.north, east, west):
        for _ in range(4):
            factories.create_case(team, world.staff, entries=STEADY)  # 8 phone, attended
        factories.create_case(team, world.staff, entries=texts)
    visit = {"occurred_on": START, "outcome": "reached", "method": "visit"}
    factories.create_case(east, world.staff, entries=[visit])
    rows = columns_of(engagement_page(client_for("leader")), "methods-table")

    assert [rows[name]["Phone"] for name in ("All teams", "East", "North", "West")] == ["100%"] * 4
    assert HIDDEN in rows["East"]["Visit"] and HIDDEN in rows["All teams"]["Visit"]
    # A lone hidden method would come back from the team's or the organisation's total:
    # another goes with it (the texts, the next smallest, and more where lines cross).
    for name in ("East", "All teams"):
        assert HIDDEN in rows[name]["Text"], name


def test_the_share_reaching_people_is_by_entries(world, client_for):
    """Is a method's share the entries that reached the person over all its entries?"""
    texts = [{"occurred_on": START, "outcome": "missed", "method": "text"}] * 3
    texts += [{"occurred_on": START, "outcome": "reached", "method": "text"}] * 9
    for _ in range(3):
        factories.create_case(world.north, world.staff, entries=texts[:4] + texts[-4:])
    rows = columns_of(engagement_page(client_for("leader")), "methods-table")
    assert rows["North"]["Text"] == "62%" and rows["All teams"]["Text"] == "62%"  # 15 of 24


def test_the_page_says_why_figures_are_hidden(world, client_for):
    """Does the page explain, in plain words, why some figures are not shown?"""
    page = engagement_page(client_for("leader"))
    assert "Why some figures are hidden" in page
    assert "fewer than 3 cases" in page
    assert "No cases recorded yet" in page


def test_figures_come_from_the_one_cache_until_it_expires(world, client_for, cache_expires):
    """Are the figures memoized (a new case shows once the cache expires), and is what the
    cache holds plain values, not database objects?"""
    client = client_for("leader")
    assert "No cases recorded yet" in engagement_page(client)
    add_cases(world.north, world.staff, "female", 6, spelled=3)
    assert "No cases recorded yet" in engagement_page(client)
    cache_expires()
    rows = dict(table(engagement_page(client), "spells-table"))
    assert rows["North"][:2] == ["3-9", "50%"]
    assert _orm_objects(services.engagement_insights()) == []
