"""Case insights under the disclosure rules: no hidden group comes back by subtraction.

Each test builds a team's cases, opens the page as a person allowed to see it, reads
the figures off the rendered HTML and plays the subtraction a curious reader would:
the shown total minus the shown parts. Nothing below MIN_GROUP_SIZE may come back.
"""

import html
import json
import re
from datetime import date, timedelta

from learning_hub.cases import services
from learning_hub.core.disclosure import HIDDEN, WHY_HIDDEN
from learning_hub.core.extensions import db
from tests import factories

TODAY = date.today()
START = TODAY - timedelta(days=200)
# One spell of disengagement: two failed attempts, 30 days until contact resumes.
SPELL = [
    (START, "attended"),
    (START + timedelta(days=5), "missed"),
    (START + timedelta(days=10), "no-answer"),
    (START + timedelta(days=35), "reached"),
]
STEADY = [(START, "attended"), (START + timedelta(days=7), "attended")]


def add_cases(team, user, gender, count, *, spelled=0, entries=None):
    """``count`` cases of ``gender``, the first ``spelled`` of them with one spell."""
    cases = []
    for n in range(count):
        chosen = entries if entries is not None else (SPELL if n < spelled else STEADY)
        cases.append(factories.create_case(team, user, gender=gender, entries=chosen))
    return cases


def table(page, table_id):
    """The rows of the table with ``table_id``: [(row heading, [cell texts])]."""
    found = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S)
    assert found, f"no table {table_id}"
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', tr, re.S)
        if heading is None:
            continue
        cells = [re.sub(r"<[^>]+>", " ", td) for td in re.findall(r"<td>(.*?)</td>", tr, re.S)]
        rows.append((heading.group(1).strip(), [" ".join(c.split()) for c in cells]))
    return rows


def possible(cell):
    """The values a shown cell allows: an exact count, a band's range, or None (hidden)."""
    if HIDDEN in cell:
        return None
    if m := re.fullmatch(r"(\d+)-(\d+)", cell):
        return int(m.group(1)), int(m.group(2))
    if m := re.fullmatch(r"(\d+)\+", cell):
        return int(m.group(1)), 10**9
    if m := re.fullmatch(r"\d+", cell):
        return int(cell), int(cell)
    raise AssertionError(f"unexpected cell {cell!r}")


def recovered(total, cells):
    """What subtraction gives for the hidden parts: the exact value of a lone hidden part,
    or None when it cannot be pinned down (two or more hidden, or bands too wide)."""
    hidden = [c for c in cells if possible(c) is None]
    if total is None or len(hidden) != 1:
        return None
    low = total - sum(possible(c)[1] for c in cells if possible(c) is not None)
    high = total - sum(possible(c)[0] for c in cells if possible(c) is not None)
    low = max(low, 1)
    return low if low == high else None


def insights_page(client, team, *, raw=False):
    response = client.get(f"/teams/{team.id}/insights")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page if raw else html.unescape(page)


def test_subtraction_recovers_no_gender_group(world, client_for):
    """With North at 15 cases (6 female, 7 male, 2 of another gender), can the hidden group
    or its spells be worked out from the total and the groups shown?"""
    add_cases(world.north, world.staff, "female", 6, spelled=3)
    add_cases(world.north, world.staff, "male", 7, spelled=4)
    add_cases(world.north, world.staff, "another", 2, spelled=1)
    page = insights_page(client_for(world.staff), world.north)

    assert "8 of 15 cases have at least one spell" in page
    rows = dict(table(page, "gender-table"))
    assert HIDDEN in rows["Another"][0] and HIDDEN in rows["Another"][1]
    # Cases by gender: 15 minus the groups shown must not give the hidden group.
    assert recovered(15, [cells[0] for cells in rows.values()]) is None
    assert "2" not in [cells[0] for cells in rows.values()]
    # Cases with a spell by gender: 8 minus the shown groups' spells gives nothing either.
    assert [HIDDEN in cells[1] for cells in rows.values()].count(True) != 1
    # The second smallest group goes with it, so two groups are hidden, with the reason.
    assert HIDDEN in rows["Female"][0]
    assert WHY_HIDDEN in page


def test_gender_groups_shown_are_counted_in_bands(world, client_for):
    """Beside its share with a spell, is each gender group's size a band, not exact?"""
    add_cases(world.north, world.staff, "female", 12, spelled=6)
    add_cases(world.north, world.staff, "male", 5, spelled=0)
    page = insights_page(client_for(world.staff), world.north)
    rows = dict(table(page, "gender-table"))
    assert rows["Female"] == ["10-19", "50%"]
    assert rows["Male"] == ["3-9", "0%"]


def test_a_lone_case_with_a_spell_is_not_shown(world, client_for):
    """With one case of six in a spell, is the spell count hidden (and the case count
    without one too, or 6 - 5 would give it), with the reason in words?"""
    add_cases(world.north, world.staff, "female", 1, spelled=1)
    add_cases(world.north, world.staff, "male", 5)
    page = insights_page(client_for(world.staff), world.north)
    assert "1 of 6" not in page and "5 have none" not in page
    assert "have at least one spell" not in page
    assert HIDDEN in page and WHY_HIDDEN in page
    assert "Lasting" not in page  # a mean of one case's spells is that case's figure


def test_spells_mean_is_shown_beside_a_band(world, client_for):
    """Is the mean spell length shown to one decimal with its cases as a band?"""
    add_cases(world.north, world.staff, "female", 4, spelled=4)
    add_cases(world.north, world.staff, "male", 3)
    page = insights_page(client_for(world.staff), world.north)
    assert "30.0 days on average" in page
    assert "from 3-9 cases" in page


def test_triggers_by_kind_hide_a_small_kind_and_the_next(world, client_for):
    """With one kind of trigger on a single case, is it hidden, and the next smallest kind
    too, so the count of triggers cannot be had by subtraction?"""
    cases = add_cases(world.north, world.staff, "female", 8)
    for case in cases[:5]:
        services.add_trigger(case, world.staff, kind="thoughts", description="Worry")
    for case in cases[:4]:
        services.add_trigger(case, world.staff, kind="feelings", description="Low")
    for _ in range(3):  # three triggers, but all on one case: still one case
        services.add_trigger(cases[7], world.staff, kind="behaviour", description="Left")
    db.session.commit()
    page = insights_page(client_for(world.staff), world.north)
    rows = dict(table(page, "triggers-table"))
    assert rows["Thoughts"] == ["5"]
    assert HIDDEN in rows["Behaviour"][0] and HIDDEN in rows["Feelings"][0]


def test_contact_methods_and_outcomes_hide_small_parts(world, client_for):
    """Are a method used once, and an outcome seen once, hidden with the next smallest, and
    a method's reached count hidden while its entries stay shown when that is enough?"""
    for _ in range(6):
        factories.create_case(world.north, world.staff, entries=STEADY)  # 12 phone, attended

    def entries(method, **outcomes):
        return [
            {"occurred_on": START, "outcome": outcome.replace("_", "-"), "method": method}
            for outcome, n in outcomes.items()
            for _ in range(n)
        ]

    factories.create_case(world.north, world.staff, entries=entries("video", reached=4, missed=3))
    factories.create_case(world.north, world.staff, entries=entries("text", reached=3, no_answer=4))
    factories.create_case(world.north, world.staff, entries=entries("visit", cancelled=1))
    page = insights_page(client_for(world.staff), world.north)

    methods = dict(table(page, "methods-table"))
    assert methods["Phone"] == ["12", "12", "100%"]
    assert methods["Video"][0] == "7"
    assert HIDDEN in methods["Video"][1] and HIDDEN in methods["Video"][2]
    assert all(HIDDEN in cell for cell in methods["Text"])
    assert HIDDEN in methods["Visit"][0] and HIDDEN in methods["Visit"][2]
    # Entries by method add up to the 27 entries the outcomes show.
    assert recovered(27, [cells[0] for cells in methods.values()]) is None
    reached = [cells[1] for name, cells in methods.items()]
    assert recovered(19, reached) is None  # attended 12 + reached 7
    outcomes = dict(table(page, "outcomes-table"))
    assert outcomes["Attended"] == ["12"]
    assert HIDDEN in outcomes["Cancelled"][0] and HIDDEN in outcomes["Missed"][0]
    assert recovered(27, [cells[0] for cells in outcomes.values()]) is None
    assert WHY_HIDDEN in page
    raw = insights_page(client_for(world.staff), world.north, raw=True)
    chart = json.loads(html.unescape(re.search(r'data-chart="([^"]*)"', raw).group(1)))
    assert chart["labels"] == ["Phone"]  # the chart shows only the shares the table shows


def test_outcomes_and_methods_do_not_give_each_other_away(world, client_for):
    """Attended and reached entries add up to the entries that reached the person, which
    the methods show: with one entry reached, is attended hidden too, so the methods'
    reached entries minus attended give nothing?"""
    for _ in range(6):
        factories.create_case(world.north, world.staff, entries=STEADY)  # 12 attended
    failed = [{"occurred_on": START, "outcome": "missed", "method": "phone"}] * 5
    reached = {"occurred_on": START, "outcome": "reached", "method": "phone"}
    factories.create_case(world.north, world.staff, entries=[*failed, reached])
    page = insights_page(client_for(world.staff), world.north)
    methods = dict(table(page, "methods-table"))
    outcomes = dict(table(page, "outcomes-table"))
    assert HIDDEN in outcomes["Reached"][0]
    reached_by_methods = recovered_sum = None
    if all(HIDDEN not in cells[1] for cells in methods.values()):
        reached_by_methods = sum(int(cells[1]) for cells in methods.values())
    if reached_by_methods is not None and HIDDEN not in outcomes["Attended"][0]:
        recovered_sum = reached_by_methods - int(outcomes["Attended"][0])
    assert recovered_sum is None
    assert outcomes["Missed"] == ["5"]  # the failed outcomes are a line of their own


def test_cases_in_a_spell_now_follow_the_rule(world, client_for):
    """Is the number of cases in a spell now hidden when it is one or two?"""
    ongoing = [
        (START, "attended"),
        (TODAY - timedelta(days=40), "missed"),
        (TODAY - timedelta(days=30), "no-answer"),
    ]
    factories.create_case(world.north, world.staff, entries=ongoing)
    add_cases(world.north, world.staff, "female", 3, spelled=3)
    add_cases(world.north, world.staff, "male", 3)
    page = insights_page(client_for(world.staff), world.north)
    assert "1 case in a spell now" not in page
    assert re.search(r"in a spell now: <span[^>]*>" + HIDDEN, page)
