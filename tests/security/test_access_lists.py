"""Every list, export and feed shows an object exactly when its own rule lets the viewer see it.

Two teams' worth of realistic data (people in one team, both teams or none;
private and shared reflections and goals; self-checks shared and not; open and
closed cases with peer reflections; review sessions with agenda items and
actions) carry a unique marker in their text. For every viewer, every page is
fetched and the objects found on it (by marker or by link) are compared with the
set computed from each object's ``can_view``.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from learning_hub.core.extensions import db
from tests import factories


@dataclass(frozen=True)
class Seeded:
    kind: str
    id: int
    marker: str
    team_id: int | None  # shared with / belongs to
    owner_id: int | None  # author, owner or the person the self-check is about

    def link(self):
        return {
            "reflection": rf"/reflections/{self.id}(?!\d)",
            "goal": rf"/learning/goals/{self.id}/",
            "selfcheck": rf"/selfcheck/{self.id}(?!\d)",
            "case": rf"/cases/{self.id}(?!\d)",
            "case_reflection": rf"/cases/\d+/reflections/{self.id}(?!\d)",
            "action": rf"/actions/{self.id}/",
            "series": None,  # shown by title only; its sessions are linked one by one
        }[self.kind]

    def appears_in(self, text):
        if self.marker in text:
            return True
        pattern = self.link()
        # Only a link that starts with this path: /cases/1/reflections/2 is not reflection 2.
        return bool(pattern and re.search(r"(?<![\w/])" + pattern, text))


class Seed:
    def __init__(self):
        self.objects = []
        self.models = {}
        self._n = 0

    def marker(self):
        self._n += 1
        return f"mk{self._n}x"

    def add(self, kind, model, marker, team_id, owner_id):
        seeded = Seeded(kind, model.id, marker, team_id, owner_id)
        self.objects.append(seeded)
        self.models[seeded] = model
        return model

    def can_view(self, user, seeded):
        """The object's own rule (the one its detail loader applies)."""
        model = self.models[seeded]
        if seeded.kind in ("case_reflection", "action"):
            model = model.case if seeded.kind == "case_reflection" else model.session
        if seeded.kind == "series":
            model = model.sessions[0]
        return model.can_view(user)


def seed_two_teams(app):
    """North, South and an empty East; people in one team, both, or none."""
    from learning_hub.modules import services as modules
    from learning_hub.selfchecks import services as selfchecks

    north, south = factories.create_team("North"), factories.create_team("South")
    east = factories.create_team("East")
    mk = factories.create_user
    people = {
        "admin": mk("admin", name="Ada Admin"),
        "leader": mk("leader", name="Lee Leader"),
        "north_fac": mk(name="Nell Facilitator", teams={north: "facilitator"}),
        "north_a": mk(name="Nat Member", teams={north: "member"}),
        "north_b": mk(name="Noor Member", teams={north: "member"}),
        "south_fac": mk(name="Sol Facilitator", teams={south: "facilitator"}),
        "south_a": mk(name="Sue Member", teams={south: "member"}),
        "both": mk(name="Bo Bridge", teams={north: "member", south: "facilitator"}),
        "nobody": mk(name="Ned Newcomer"),
    }
    seed = Seed()
    seed.teams = (north, south, east)
    seed.people = people
    library = app.extensions["content"].library
    module = next(iter(library))
    seed.module = module
    section = library.instrument.sections[0].key
    authors = [p for p in people.values() if p.memberships]
    for person in authors:
        teams = [m.team for m in person.memberships]
        for share in [None, *teams]:
            marker = seed.marker()
            reflection = factories.create_reflection(
                person, module, body=f"{marker} I waited before I advised.", share_team=share
            )
            seed.add("reflection", reflection, marker, share and share.id, person.id)
            marker = seed.marker()
            goal = factories.create_goal(
                person, description=f"{marker} Ask first.", share_team=share
            )
            seed.add("goal", goal, marker, share and share.id, person.id)
        marker = seed.marker()
        check = factories.create_selfcheck(
            app,
            person,
            submitted_at=factories_now() - timedelta(days=40),
            notes={section: marker},
        )
        seed.add("selfcheck", check, marker, None, person.id)
        marker = seed.marker()
        shared = factories.create_selfcheck(app, person, notes={section: marker})
        selfchecks.share_with_team(shared, teams[-1], person)
        seed.add("selfcheck", shared, marker, teams[-1].id, person.id)
    # A self-check shared once and then withdrawn: private again.
    marker = seed.marker()
    withdrawn = factories.create_selfcheck(
        app, people["north_b"], notes={section: marker}, share_team=north
    )
    selfchecks.withdraw_share(withdrawn, people["north_b"])
    seed.add("selfcheck", withdrawn, marker, None, people["north_b"].id)
    # A reflection shared with North, then made private again.
    marker = seed.marker()
    unshared = factories.create_reflection(
        people["north_a"], module, body=f"{marker} Shared, then not.", share_team=north
    )
    modules.set_sharing(unshared, None)
    seed.add("reflection", unshared, marker, None, people["north_a"].id)

    for team, author, peer in [
        (north, people["north_a"], people["north_fac"]),
        (north, people["both"], people["north_b"]),
        (south, people["south_a"], people["south_fac"]),
        (south, people["both"], people["south_a"]),
    ]:
        marker = seed.marker()
        case = factories.create_case(
            team,
            author,
            context=f"{marker} Letters go unanswered.",
            entries=[(date.today() - timedelta(days=3), "missed")],
        )
        seed.add("case", case, marker, team.id, author.id)
        marker = seed.marker()
        reflection = factories.create_case_reflection(case, peer, identify=f"{marker} Patchy.")
        seed.add("case_reflection", reflection, marker, team.id, peer.id)
    closed = seed.models[[o for o in seed.objects if o.kind == "case"][-1]]
    closed.close()
    db.session.commit()

    for team, facilitator, member in [
        (north, people["north_fac"], people["north_a"]),
        (south, people["south_fac"], people["south_a"]),
    ]:
        marker = seed.marker()
        series = factories.create_review(
            team, facilitator, title=f"Review {marker}", until=date.today() + timedelta(days=60)
        )
        seed.add("series", series, marker, team.id, facilitator.id)
        session = series.sessions[0]
        team_reflection = next(
            seed.models[o] for o in seed.objects if o.kind == "reflection" and o.team_id == team.id
        )
        factories.create_agenda_item(
            session,
            member,
            kind="shared-reflection",
            title="About a shared reflection",
            reflection=team_reflection,
        )
        # An agenda item about a reflection its author later made private again.
        marker = seed.marker()
        later_private = factories.create_reflection(
            member, module, body=f"{marker} Brought, then withdrawn.", share_team=team
        )
        factories.create_agenda_item(
            session,
            member,
            kind="shared-reflection",
            title="About a reflection made private later",
            reflection=later_private,
        )
        modules.set_sharing(later_private, None)
        db.session.commit()
        seed.add("reflection", later_private, marker, None, member.id)
        item = factories.create_agenda_item(session, member)
        marker = seed.marker()
        action = factories.create_action(session, facilitator, member, description=f"{marker} Call")
        seed.add("action", action, marker, team.id, member.id)
        assert item
    db.session.commit()
    return seed


def factories_now():
    from learning_hub.core.database import utcnow

    return utcnow()


def pages_for(seed):
    """(name, url, domain) for every page; ``domain`` picks the objects the page lists, or None
    when the page lists a mix (then it may only show what the viewer can see)."""
    pages = [
        ("home", "/", lambda v, o: o.kind == "action" and o.owner_id == v.id),
        (
            "my learning",
            "/learning",
            lambda v, o: o.kind in ("reflection", "goal") and o.owner_id == v.id,
        ),
        ("my self-checks", "/selfcheck", lambda v, o: o.kind == "selfcheck" and o.owner_id == v.id),
        ("module library", "/modules", None),
        ("account", "/account", None),
        ("drift", "/dashboard/drift", None),
        ("drift export", "/dashboard/drift.csv", None),
    ]
    for team in seed.teams:
        t = team.id
        pages += [
            (f"team {t}", f"/teams/{t}", None),
            (
                f"shared with {t}",
                f"/teams/{t}/reflections",
                lambda v, o, t=t: o.kind in ("reflection", "goal") and o.team_id == t,
            ),
            (
                f"cases of {t}",
                f"/teams/{t}/cases?status=all",
                lambda v, o, t=t: o.kind == "case" and o.team_id == t,
            ),
            (
                f"open cases of {t}",
                f"/teams/{t}/cases",
                lambda v, o, t=t: (
                    o.kind == "case" and o.team_id == t and not seed.models[o].is_closed
                ),
            ),
            (
                f"sessions of {t}",
                f"/teams/{t}/sessions",
                lambda v, o, t=t: o.kind == "series" and o.team_id == t,
            ),
            (
                f"fidelity of {t}",
                f"/teams/{t}/fidelity",
                lambda v, o, t=t: o.kind == "selfcheck" and o.team_id == t,
            ),
            (f"insights of {t}", f"/teams/{t}/insights", None),
        ]
    for case in [o for o in seed.objects if o.kind == "case"]:

        def on_case(v, o, case=case):
            if o.kind == "case":
                return o.id == case.id
            return o.kind == "case_reflection" and seed.models[o].case_id == case.id

        pages += [
            (f"case {case.id}", f"/cases/{case.id}", on_case),
            (f"export of case {case.id}", f"/cases/{case.id}/export", on_case),
        ]
    for series in [seed.models[o] for o in seed.objects if o.kind == "series"]:
        session = series.sessions[0]
        pages += [
            (f"session {session.id}", f"/sessions/{session.id}", None),
            (f"summary {session.id}", f"/sessions/{session.id}/summary", None),
        ]
    return pages


def fidelity_rule(seed, viewer, seeded):
    """Facilitators see the self-checks shared with their team (their own live elsewhere)."""
    check = seed.models[seeded]
    share = check.active_share()
    return share is not None and share.team_id in viewer.facilitated_team_ids()


def found_on(seed, text):
    return {o for o in seed.objects if o.appears_in(text)}


@pytest.fixture
def seed(app):
    return seed_two_teams(app)


def test_seed_is_realistic(seed):
    """Does the seeded data hold every kind of object, shared and private, in two teams?"""
    assert len(seed.people) >= 8
    kinds = {(o.kind, o.team_id is not None) for o in seed.objects}
    for kind in ("reflection", "goal", "selfcheck"):
        assert (kind, True) in kinds and (kind, False) in kinds
    assert {o.team_id for o in seed.objects if o.kind == "case"} == {
        seed.teams[0].id,
        seed.teams[1].id,
    }
    assert any(o.kind == "action" for o in seed.objects)


def test_lists_show_exactly_what_each_viewer_may_see(app, seed, client_for):
    """On every list and export, does each object appear exactly when its rule allows it?"""
    problems = []
    for name, viewer in seed.people.items():
        client = client_for(viewer)
        visible = {o for o in seed.objects if seed.can_view(viewer, o)}
        for page, url, domain in pages_for(seed):
            response = client.get(url)
            if response.status_code in (403, 404):
                text = ""
            else:
                assert response.status_code == 200, (name, url, response.status_code)
                text = response.get_data(as_text=True)
            shown = found_on(seed, text)
            leaked = shown - visible
            if leaked:
                problems.append(
                    f"{name} sees on {page} what they may not: {sorted(leaked, key=str)}"
                )
            if domain is None:
                continue
            listed = {o for o in seed.objects if domain(viewer, o)}
            if page.startswith("fidelity"):
                expected = {o for o in listed if fidelity_rule(seed, viewer, o)}
            else:
                expected = listed & visible
            missing = expected - shown
            extra = (shown & listed) - expected
            if missing:
                problems.append(f"{name} misses on {page}: {sorted(missing, key=str)}")
            if extra:
                problems.append(f"{name} sees extra on {page}: {sorted(extra, key=str)}")
    assert not problems, "\n".join(problems)


def test_calendar_feeds_hold_exactly_the_owners_sessions(app, seed):
    """Does each team feed list that team's sessions, and each person's feed only theirs?"""
    from learning_hub.reviews.services import feed_for

    client = app.test_client()
    series = [o for o in seed.objects if o.kind == "series"]
    for team in seed.teams:  # each member's own address of the team's feed
        for member in [p for p in seed.people.values() if team.id in p.team_ids()]:
            token = feed_for(member, team).token
            db.session.commit()
            text = client.get(f"/calendar/team/{token}.ics").get_data(as_text=True)
            assert {o for o in series if o.marker in text} == {
                o for o in series if o.team_id == team.id
            }, (team.name, member.display_name)
    for name, person in seed.people.items():
        token = feed_for(person).token
        db.session.commit()
        text = client.get(f"/calendar/me/{token}.ics").get_data(as_text=True)
        assert {o for o in series if o.marker in text} == {
            o for o in series if seed.can_view(person, o)
        }, name
        assert not found_on(seed, text) - set(series), name


def test_module_search_finds_modules_and_nothing_people_wrote(app, seed, client_for):
    """Does /modules?q= list exactly the matching modules, and never search reflections?"""
    library = app.extensions["content"].library
    word = seed.module.title.split()[0]
    private = next(o for o in seed.objects if o.kind == "reflection" and o.team_id is None)
    for name, viewer in seed.people.items():
        client = client_for(viewer)
        for query, expected in [
            (word, {m.slug for m in library.search(word)}),
            (private.marker, set()),
            ("", {m.slug for m in library}),
        ]:
            text = client.get("/modules", query_string={"q": query}).get_data(as_text=True)
            shown = set(re.findall(r'<h2><a href="/modules/([^"/?#]+)"', text))
            assert shown == expected, (name, query)
            assert shown <= {m.slug for m in library}
            for slug in shown:
                assert client.get(f"/modules/{slug}").status_code == 200
            # The search box repeats the words searched for; nothing else may match.
            assert not found_on(seed, text.replace(query, "") if query else text), (name, query)
    assert expected and word


def test_export_is_json_of_one_case(app, seed, client_for):
    """Does a case export hold that case and its reflections, and no other case's text?"""
    case = next(o for o in seed.objects if o.kind == "case")
    viewer = seed.models[case].team.memberships[0].user
    data = json.loads(client_for(viewer).get(f"/cases/{case.id}/export").data)
    text = json.dumps(data)
    assert case.marker in text
    others = {o for o in seed.objects if o.kind == "case" and o != case}
    assert not {o for o in others if o.marker in text}
