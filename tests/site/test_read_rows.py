"""Pages that read rows of what they show, rather than whole objects, show the same things.

Home's next session and unfinished self-check, the carried actions of a review
session (and its reminder), the case list, "My learning" and the self-check
profile's chart read only the columns they print; these check what each prints.
"""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from jinja2.filters import do_truncate
from markupsafe import escape

from learning_hub.core.extensions import db
from learning_hub.reviews import services as reviews
from tests import factories


@pytest.fixture
def module(app):
    return next(iter(app.extensions["content"].library))


def test_home_names_the_next_session_its_team_place_and_local_time(client_for, world):
    """Does home show the next session's title, team, location and the team's local time?"""
    client = client_for("staff")
    series = factories.create_review(world.north, world.facilitator, title="Fortnightly huddle")
    first = series.sessions[0]
    home = client.get("/").get_data(as_text=True)
    assert f'href="/sessions/{first.id}">Fortnightly huddle</a>, North' in home
    assert "Room 2" in home
    assert f"/sessions/{first.id}/agenda/new" in home
    local = first.starts_at.astimezone(ZoneInfo(world.north.timezone))
    assert local.strftime("%a %-d %b %Y, %H:%M") in home


def test_home_skips_cancelled_sessions_and_other_teams(client_for, world):
    """Is a cancelled session, or another team's, never offered as the next one?"""
    client = client_for("staff")
    theirs = factories.create_review(world.south, world.outsider, title="South only")
    ours = factories.create_review(world.north, world.facilitator, title="North huddle")
    ours.sessions[0].is_cancelled = True
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert theirs.sessions and "South only" not in home
    assert f'href="/sessions/{ours.sessions[1].id}">North huddle</a>' in home


def test_home_with_no_team_session_says_so(client_for):
    client = client_for("staff")
    home = client.get("/").get_data(as_text=True)
    assert "No session scheduled for your teams." in home


def test_home_mentions_the_unfinished_self_check_with_its_date(app, client_for, world):
    """Does home mention a self-check left unfinished, with the day it was started?"""
    client = client_for("staff")
    draft = factories.create_selfcheck(app, world.staff, submit=False)
    draft.started_at = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "You have a self-check you started on 9 March." in home
    assert "Pick it up where you left off" in home


def test_carried_actions_name_their_owner_or_a_former_member(client_for, world):
    """Do actions carried from an earlier session show their owner, or 'former member'?"""
    client = client_for("staff")
    last_week = datetime.now(UTC) - timedelta(days=7)
    earlier = factories.create_review(world.north, world.facilitator, start=last_week, rule=None)
    later = factories.create_review(world.north, world.facilitator, title="Next one")
    factories.create_action(earlier.sessions[0], world.facilitator, world.staff, "Ring the GP")
    gone = factories.create_user(teams={world.north: "member"}, name="Gone Soon")
    factories.create_action(earlier.sessions[0], world.facilitator, gone, "Rewrite the letter")
    db.session.delete(gone)
    db.session.commit()
    page = client.get(f"/sessions/{later.sessions[0].id}").get_data(as_text=True)
    assert 'Ring the GP <span class="muted">(Sam Staff)</span>' in page
    assert 'Rewrite the letter <span class="muted">(former member)</span>' in page
    rows, total = reviews.carried_actions(later.sessions[0])
    assert total == 2 and {row.owner_name for row in rows} == {"Sam Staff", None}
    # An action of this same session, or a later one, is not carried into it.
    factories.create_action(later.sessions[0], world.facilitator, world.staff, "Today's own")
    assert reviews.carried_actions(later.sessions[0])[1] == 2


def test_carried_actions_show_the_most_urgent_and_count_all(client_for, world):
    """With more open than shown, does the page show the first few and the full count?"""
    client = client_for("staff")
    last_week = datetime.now(UTC) - timedelta(days=7)
    earlier = factories.create_review(world.north, world.facilitator, start=last_week, rule=None)
    later = factories.create_review(world.north, world.facilitator, title="Next one")
    for n in range(reviews.CARRIED_SHOWN + 2):
        factories.create_action(earlier.sessions[0], world.facilitator, world.staff, f"Task {n}")
    page = client.get(f"/sessions/{later.sessions[0].id}").get_data(as_text=True)
    shown = reviews.CARRIED_SHOWN
    assert f"{shown + 2} actions from earlier sessions are still open" in page
    assert f"these are the {shown} most urgent" in page
    assert page.count('<p class="carried">') == shown


def test_case_list_rows_show_each_column(client_for, world):
    """Does each case row show its code, gender and age, pattern and state?"""
    client = client_for("staff")
    case = factories.create_case(world.north, world.staff, gender="male", age_band="35-44")
    page = client.get(f"/teams/{world.north.id}/cases").get_data(as_text=True)
    assert f'<a href="/cases/{case.id}">{case.code}</a>' in page
    assert "Male, 35-44" in page
    assert "Not enough history" in page and "In contact" in page
    assert case.updated_at.strftime("%-d %b %Y") in page


def test_case_list_pages_and_filters_rows(client_for, world):
    """Are the rows paged 25 at a time, and does the status filter apply to them?"""
    client = client_for("staff")
    cases = [factories.create_case(world.north, world.staff) for _ in range(26)]
    cases[0].close()
    db.session.commit()
    first = client.get(f"/teams/{world.north.id}/cases").get_data(as_text=True)
    second = client.get(f"/teams/{world.north.id}/cases?page=2").get_data(as_text=True)
    closed = client.get(f"/teams/{world.north.id}/cases?status=closed").get_data(as_text=True)
    assert first.count('<th scope="row">') == 25 and second.count('<th scope="row">') == 0
    assert cases[0].code not in first
    assert closed.count('<th scope="row">') == 1 and "Closed</span>" in closed


def test_my_learning_quotes_the_start_of_a_long_reflection(app, client_for, world, module):
    """Is the quote of a long reflection the same as cutting the whole text would give?"""
    client = client_for("staff")
    body = " ".join(["The appointment letter assumed a phone and a fixed address."] * 8)
    factories.create_reflection(world.staff, module, body=body)
    short = "Two hundred characters would not reach the end of this one."
    factories.create_reflection(world.staff, module, body=short)
    page = client.get("/learning").get_data(as_text=True)
    assert do_truncate(app.jinja_env, body, 180) in page
    assert body not in page
    assert short in page


def test_my_learning_names_the_team_a_reflection_is_shared_with(client_for, world, module):
    client = client_for("staff")
    factories.create_reflection(world.staff, module, body="Shared one.", share_team=world.north)
    factories.create_reflection(world.staff, module, body="Private one.")
    page = client.get("/learning").get_data(as_text=True)
    assert "Shared with North" in page and "Private" in page
    assert str(escape(module.prompts[0].text)) in page


def test_profile_chart_is_drawn_afresh_after_a_new_self_check(app, world, client_for):
    """With the profile cached, does a new self-check still change the chart and table?"""
    client = client_for(world.staff)
    factories.create_selfcheck(app, world.staff, 1, submitted_at=datetime(2026, 1, 10, tzinfo=UTC))
    before = client.get("/selfcheck").get_data(as_text=True)
    assert 'id="profile-chart"' in before and "Jan 2026" in before
    assert "Feb 2026" not in before
    factories.create_selfcheck(app, world.staff, 4, submitted_at=datetime(2026, 2, 10, tzinfo=UTC))
    after = client.get("/selfcheck").get_data(as_text=True)
    assert "Feb 2026" in after and "4.0" in after
    assert after.count('id="profile-chart"') == 1


@pytest.fixture
def meeting(world):
    """This week's session of North, with a system question and a case on its agenda."""
    series = factories.create_review(world.north, world.facilitator, title="Weekly huddle")
    session = series.sessions[0]
    question = factories.create_agenda_item(session, world.staff)
    case = factories.create_case(world.north, world.staff)
    about_case = factories.create_agenda_item(
        session, world.facilitator, kind="case", title="Missed letters", case=case
    )
    return SimpleNamespace(session=session, question=question, about_case=about_case, case=case)


def test_session_page_shows_each_item_with_its_raiser_case_and_actions(client_for, world, meeting):
    """Does the agenda show who raised each item, the case's code and each action's state?"""
    client = client_for("staff")
    action = factories.create_action(meeting.session, world.facilitator, world.staff)
    action.item_id = meeting.question.id
    action.mark_done("Sent on Tuesday")
    db.session.commit()
    page = client.get(f"/sessions/{meeting.session.id}").get_data(as_text=True)
    assert "Raised by Sam Staff" in page and "Raised by Fran Facilitator" in page
    assert f'<a href="/cases/{meeting.case.id}">{meeting.case.code}</a>' in page
    assert "Reword the appointment letter: Sam Staff" in page and "Done</span>" in page
    assert page.index("1. Where do our rules limit choice?") < page.index("2. Missed letters")
    # Only the item about a case warns that the guard reads its notes.
    assert page.count("the anonymisation guard checks these notes") == 1
    summary = client.get(f"/sessions/{meeting.session.id}/summary").get_data(as_text=True)
    assert "(done: Sent on Tuesday)" in summary and meeting.case.code in summary


def test_participation_names_raisers_and_owners_but_not_former_members(client_for, world, meeting):
    """Is 'Who took part' what people did, with a removed person's share left out?"""
    client = client_for("staff")
    gone = factories.create_user(teams={world.north: "member"}, name="Gone Soon")
    factories.create_agenda_item(meeting.session, gone, title="Their item")
    factories.create_action(meeting.session, world.facilitator, world.staff)
    db.session.delete(gone)
    db.session.commit()
    page = client.get(f"/sessions/{meeting.session.id}").get_data(as_text=True)
    assert "<li>Sam Staff: raised an item, took an action</li>" in page
    assert "<li>Fran Facilitator: raised an item</li>" in page
    assert "Gone Soon" not in page and "Raised by a former member" in page


def test_a_shared_reflection_item_opens_only_while_it_is_shared(
    app, client_for, world, meeting, module
):
    """Is a reflection on the agenda a link for its team, and not once made private?"""
    staff_client = client_for("staff")
    facilitator_client = client_for("facilitator")
    reflection = factories.create_reflection(
        world.facilitator, module, body="What I tried.", share_team=world.north
    )
    factories.create_agenda_item(
        meeting.session,
        world.facilitator,
        kind="shared-reflection",
        title="Fran's letter",
        reflection=reflection,
    )
    url = f"/sessions/{meeting.session.id}"
    link = f'href="/reflections/{reflection.id}">the reflection</a>'
    assert link in staff_client.get(url).get_data(as_text=True)
    reflection.shared_team_id = None
    db.session.commit()
    page = staff_client.get(url).get_data(as_text=True)
    assert link not in page and "its author has since made it private" in page
    assert link in facilitator_client.get(url).get_data(as_text=True)  # the author still may


def test_session_pages_are_for_the_team_alone(app, world, meeting, client_for):
    """Is the session page, and its summary, a 404 for someone outside the team?"""
    outsider = client_for(world.outsider)
    assert outsider.get(f"/sessions/{meeting.session.id}").status_code == 404
    assert outsider.get(f"/sessions/{meeting.session.id}/summary").status_code == 404
    assert outsider.get("/sessions/999999").status_code == 404


def test_case_page_summarises_the_plan_and_the_case(client_for, world):
    """Does the case page show its details, its context and a summary of its plan?"""
    client = client_for("staff")
    from datetime import date

    from learning_hub.cases import services

    case = factories.create_case(
        world.north, world.staff, gender="another", age_band="18-24", context="Moved **twice**."
    )
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"<h1>Case {case.code}</h1>" in page
    assert "<dd>Another</dd>" in page and "<dd>18-24</dd>" in page
    assert "<strong>twice</strong>" in page
    assert "No plan yet." in page and "North's cases" in page
    services.save_plan(
        case,
        world.staff,
        made_with_person=False,
        agreed_on=date(2026, 4, 2),
        review_on=date(2026, 7, 1),
    )
    db.session.commit()
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "<strong>Written for the person, not with them.</strong>" in page
    assert "agreed 2 Apr 2026, review by 1 Jul 2026" in page
    case.close()
    db.session.commit()
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert '<span class="tag">Closed</span>' in page and "Add to timeline" not in page


def test_case_page_is_for_the_team_alone(world, client_for):
    case = factories.create_case(world.north, world.staff)
    assert client_for(world.outsider).get(f"/cases/{case.id}").status_code == 404
    assert client_for(world.staff).get("/cases/999999").status_code == 404


def test_profile_counts_the_statements_rated_in_the_draft(app, client_for, world):
    """Does the profile say when the unfinished self-check began and how much of it is done?"""
    client = client_for("staff")
    instrument = app.extensions["content"].library.instrument
    rated = {item.id: 2 for item in instrument.items[:3]}
    draft = factories.create_selfcheck(app, world.staff, rated, submit=False)
    draft.started_at = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    db.session.commit()
    page = client.get("/selfcheck").get_data(as_text=True)
    total = len(instrument.items)
    assert f"Started 1 Jun 2026, 3 of {total} statements rated." in page
    assert "Resume your unfinished self-check" in page


def test_module_page_shows_each_reflection_with_its_sharing_edits_and_responses(
    client_for, world, module
):
    """Does the module page show a reflection's text, team, edit mark and responses?"""
    staff_client = client_for("staff")
    facilitator_client = client_for("facilitator")
    from learning_hub.modules import services

    reflection = factories.create_reflection(
        world.staff, module, body="I offered *two* times.", share_team=world.north
    )
    page = staff_client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "I offered <em>two</em> times." in page
    assert "Shared with North" in page and "· edited" not in page
    services.respond(reflection, world.facilitator, "Which one did they pick?")
    reflection.updated_at = reflection.created_at + timedelta(hours=1)
    db.session.commit()
    page = staff_client.get(f"/modules/{module.slug}").get_data(as_text=True)
    assert "· edited" in page and "Open (1 response)</a>" in page
    assert "I offered" not in facilitator_client.get(f"/modules/{module.slug}").get_data(
        as_text=True
    )
