"""Review sessions: recurrence and time zones, agendas, notes, actions, feeds, reminders."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from learning_hub.core.extensions import db
from learning_hub.reviews import services
from learning_hub.reviews.models import Action, AgendaItem, ReminderSent, ReviewSession
from tests import factories


def test_fortnightly_rule_keeps_local_time_across_a_clock_change():
    """Does a 10:00 London meeting stay at 10:00 local when the clocks go back?"""
    starts = services.expand(
        datetime(2026, 10, 13, 10, 0), "FREQ=WEEKLY;INTERVAL=2;COUNT=3", "Europe/London"
    )
    assert starts == [
        datetime(2026, 10, 13, 9, 0, tzinfo=UTC),  # BST, UTC+1
        datetime(2026, 10, 27, 10, 0, tzinfo=UTC),  # GMT after 25 October
        datetime(2026, 11, 10, 10, 0, tzinfo=UTC),
    ]


def test_other_time_zones_are_respected():
    """Is a New York team's 09:00 stored as the right UTC instant either side of DST?"""
    starts = services.expand(
        datetime(2026, 10, 26, 9, 0), "FREQ=WEEKLY;COUNT=2", "America/New_York"
    )
    assert [s.hour for s in starts] == [13, 14]  # EDT, then EST from 1 November


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=SOMETIMES", "Enter a rule like"),
        ("FREQ=DAILY", "more than 500"),
        ("FREQ=WEEKLY;UNTIL=20200101T000000", "no sessions"),
    ],
)
def test_bad_rules_are_refused(rule, message):
    """Are invalid rules, and rules with more than 500 sessions, refused clearly?"""
    with pytest.raises(services.ScheduleError, match=message):
        services.expand(datetime(2026, 12, 1, 10, 0), rule, "Europe/London")


def schedule_data(**overrides):
    start = date.today() + timedelta(days=7)
    return {
        "title": "Team reflection",
        "start_on": start.isoformat(),
        "start_time": "10:00",
        "duration": 90,
        "location": "Room 2",
        "repeat": "fortnightly",
        "custom_rule": "",
        "until": "",
        **overrides,
    }


def test_facilitator_schedules_a_fortnightly_series(client_for, world):
    """Does a facilitator's fortnightly series create sessions two weeks apart?"""
    client = client_for("facilitator")
    response = client.post(f"/teams/{world.north.id}/sessions/new", data=schedule_data())
    assert response.status_code == 302
    sessions = db.session.scalars(db.select(ReviewSession).order_by(ReviewSession.starts_at)).all()
    assert 40 < len(sessions) <= 53
    assert sessions[1].starts_at - sessions[0].starts_at in (
        timedelta(days=14),
        timedelta(days=14, hours=1),
        timedelta(days=14, hours=-1),
    )


def test_schedule_refusals_keep_what_was_typed(client_for, world):
    """Are a bad custom rule and an end before the start refused with the text kept?"""
    client = client_for("facilitator")
    response = client.post(
        f"/teams/{world.north.id}/sessions/new",
        data=schedule_data(repeat="custom", custom_rule="FREQ=DAILY", title="Keep this title"),
    )
    assert response.status_code == 400
    assert b"more than 500" in response.data and b"Keep this title" in response.data
    past_end = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/teams/{world.north.id}/sessions/new", data=schedule_data(until=past_end)
    )
    assert response.status_code == 400
    assert b"cannot be before the first session" in response.data
    assert db.session.scalar(db.select(db.func.count(ReviewSession.id))) == 0


def test_members_cannot_schedule_and_outsiders_see_nothing(world, client_for):
    """Is scheduling for facilitators, and another team's session a 404?"""
    series = factories.create_review(world.north, world.facilitator)
    assert (
        client_for(world.staff)
        .post(f"/teams/{world.north.id}/sessions/new", data=schedule_data())
        .status_code
        == 403
    )
    outsider = client_for(world.outsider)
    assert outsider.get(f"/sessions/{series.sessions[0].id}").status_code == 404
    assert (
        outsider.post(
            f"/sessions/{series.sessions[0].id}/agenda",
            data={"kind": "system-question", "title": "x"},
        ).status_code
        == 404
    )


def test_move_or_cancel_one_occurrence_only(client_for, world):
    """Does moving or cancelling one occurrence leave the rest of the series alone?"""
    client = client_for("facilitator")
    series = factories.create_review(world.north, world.facilitator)
    first, second, third = series.sessions[:3]
    new_day = (first.starts_at + timedelta(days=1)).date()
    response = client.post(
        f"/sessions/{first.id}/move",
        data={"start_on": new_day.isoformat(), "start_time": "14:00", "duration": 60},
    )
    assert response.status_code == 302
    client.post(f"/sessions/{second.id}/cancel")
    db.session.expire_all()
    assert first.starts_at.date() == new_day and first.duration_minutes == 60
    assert first.sequence == 1 and second.is_cancelled and not third.is_cancelled
    assert third.starts_at == third.original_start_at


def test_end_the_series(client_for, world):
    """Does ending a series remove future sessions and keep past ones?"""
    client = client_for("facilitator")
    start = datetime.combine(date.today() - timedelta(days=28), time(10, 0))
    series = factories.create_review(world.north, world.facilitator, start=start)
    assert client.post(f"/series/{series.id}/end").status_code == 302
    remaining = db.session.scalars(db.select(ReviewSession)).all()
    assert 1 <= len(remaining) <= 3
    assert all(s.starts_at < datetime.now(UTC) for s in remaining)


def test_case_linked_agenda_item_and_guard(client_for, world):
    """Can a member raise an item tied to a team case, and is an identifying title refused?"""
    client = client_for("staff")
    series = factories.create_review(world.north, world.facilitator)
    session = series.sessions[0]
    case = factories.create_case(world.north, world.staff)
    response = client.post(
        f"/sessions/{session.id}/agenda",
        data={"kind": "case", "title": "Missed Mondays", "case_id": case.id, "timebox": 20},
    )
    assert response.status_code == 302
    item = db.session.scalars(db.select(AgendaItem)).one()
    assert item.case_id == case.id and item.raised_by_id == world.staff.id
    refused = client.post(
        f"/sessions/{session.id}/agenda",
        data={"kind": "case", "title": "Mrs Jones again", "case_id": case.id},
    )
    assert refused.status_code == 400 and b"Mrs Jones again" in refused.data
    other = factories.create_case(world.south, world.outsider)
    forged = client.post(
        f"/sessions/{session.id}/agenda",
        data={"kind": "case", "title": "Not ours", "case_id": other.id},
    )
    assert forged.status_code == 400
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 1


def test_proposal_page_offers_only_this_teams_cases_and_keeps_a_refusal(client_for, world):
    """Does the proposal page list the team's open cases only, and keep what was typed?"""
    client = client_for("staff")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    ours = factories.create_case(world.north, world.staff)
    theirs = factories.create_case(world.south, world.outsider)
    meeting = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert f'href="/sessions/{session.id}/agenda/new"' in meeting
    assert ours.code not in meeting  # the pickers live on the proposal page only
    page = client.get(f"/sessions/{session.id}/agenda/new").get_data(as_text=True)
    assert f'<option value="{ours.id}">{ours.code}</option>' in page
    assert theirs.code not in page
    assert f'action="/sessions/{session.id}/agenda"' in page
    refused = client.post(
        f"/sessions/{session.id}/agenda",
        data={"kind": "case", "title": "Missed Mondays", "timebox": 20},
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Choose the case this item is about" in body and 'value="Missed Mondays"' in body
    assert "<h1>Propose an item</h1>" in body


def test_facilitator_orders_items(client_for, world):
    """Can the facilitator move an item up the agenda?"""
    client = client_for("facilitator")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    first = factories.create_agenda_item(session, world.staff, title="First")
    second = factories.create_agenda_item(session, world.staff, title="Second")
    client.post(f"/sessions/{session.id}/agenda/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [i.title for i in session.items] == ["Second", "First"]
    assert first.position == 2


def test_second_save_of_the_same_notes_is_refused_and_kept(world, client_for):
    """When two people edit the same notes, is the second save refused with its text kept?"""
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    prefix = f"item{item.id}-"
    first = client_for(world.facilitator).post(
        f"/sessions/{session.id}/agenda/{item.id}/notes",
        data={
            prefix + "notes": "We agreed texts.",
            prefix + "decisions": "",
            prefix + "version": "1",
        },
    )
    assert first.status_code == 302
    second = client_for(world.staff).post(
        f"/sessions/{session.id}/agenda/{item.id}/notes",
        data={
            prefix + "notes": "My own careful notes.",
            prefix + "decisions": "",
            prefix + "version": "1",
        },
    )
    assert second.status_code == 409
    assert b"Someone else saved notes" in second.data
    assert b"My own careful notes." in second.data and b"We agreed texts." in second.data
    db.session.refresh(item)
    assert item.notes == "We agreed texts." and item.version == 2


def test_notes_touching_a_case_pass_the_guard(client_for, world):
    """Are notes on a case-linked item checked by the anonymisation guard?"""
    client = client_for("staff")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    case = factories.create_case(world.north, world.staff)
    item = factories.create_agenda_item(
        session, world.staff, kind="case", title="Mondays", case=case
    )
    prefix = f"item{item.id}-"
    response = client.post(
        f"/sessions/{session.id}/agenda/{item.id}/notes",
        data={prefix + "notes": "Ring her on 07700 900123", prefix + "version": "1"},
    )
    assert response.status_code == 400 and b'<mark class="pii"' in response.data


def test_actions_carry_forward_and_reach_the_owner(world, client_for):
    """Does an open action appear atop the next session and on its owner's home page?"""
    start = datetime.combine(date.today() - timedelta(days=14), time(10, 0))
    series = factories.create_review(world.north, world.facilitator, start=start)
    past, upcoming = series.sessions[0], series.sessions[1]
    item = factories.create_agenda_item(past, world.staff)
    facilitator = client_for(world.facilitator)
    response = facilitator.post(
        f"/sessions/{past.id}/agenda/{item.id}/actions",
        data={
            f"action{item.id}-description": "Reword the letter",
            f"action{item.id}-owner_id": world.staff.id,
        },
    )
    assert response.status_code == 302
    assert b"Reword the letter" in facilitator.get(f"/sessions/{upcoming.id}").data
    staff = client_for(world.staff)
    assert b"Reword the letter" in staff.get("/").data
    action = db.session.scalars(db.select(Action)).one()
    staff.post(f"/actions/{action.id}/done", data={"note": "Done with two people.", "next": "/"})
    db.session.refresh(action)
    assert action.done_at is not None and action.done_note == "Done with two people."
    assert b"Reword the letter" not in facilitator.get(f"/sessions/{upcoming.id}").data


def test_a_long_backlog_shows_the_most_urgent_and_links_to_the_team_list(world, client_for):
    """With 13 open actions, does the session show the 10 due soonest and the team list all?"""
    start = datetime.combine(date.today() - timedelta(days=14), time(10, 0))
    series = factories.create_review(world.north, world.facilitator, start=start)
    past, upcoming = series.sessions[0], series.sessions[1]
    for n in range(13):
        action = factories.create_action(
            past, world.facilitator, world.staff, f"Backlog item {n:02d}"
        )
        action.due_on = date.today() + timedelta(days=n)
    db.session.commit()
    facilitator = client_for(world.facilitator)
    page = facilitator.get(f"/sessions/{upcoming.id}").get_data(as_text=True)
    shown = [n for n in range(13) if f"Backlog item {n:02d}" in page]
    assert shown == list(range(services.CARRIED_SHOWN))
    assert "13 actions from earlier sessions are still open" in page
    assert f'href="/teams/{world.north.id}/actions"' in page
    listing = facilitator.get(f"/teams/{world.north.id}/actions").get_data(as_text=True)
    assert all(f"Backlog item {n:02d}" in listing for n in range(13))
    assert "13 open actions." in listing and listing.count("Mark done") == 13
    staff_view = client_for(world.outsider).get(f"/teams/{world.north.id}/actions")
    assert staff_view.status_code == 404


def test_only_owners_and_facilitators_may_close_actions_from_the_team_list(world, client_for):
    """On the team's list, does a member see Mark done on their own actions only?"""
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    factories.create_action(session, world.facilitator, world.staff, "Mine to do")
    factories.create_action(session, world.staff, world.facilitator, "Theirs to do")
    listing = client_for(world.staff).get(f"/teams/{world.north.id}/actions").get_data(as_text=True)
    assert "Mine to do" in listing and "Theirs to do" in listing
    assert listing.count("Mark done") == 1


def test_action_owner_must_be_in_the_team(client_for, world):
    """Is an action for someone outside the team refused?"""
    client = client_for("facilitator")
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    item = factories.create_agenda_item(session, world.staff)
    response = client.post(
        f"/sessions/{session.id}/agenda/{item.id}/actions",
        data={
            f"action{item.id}-description": "Keep me",
            f"action{item.id}-owner_id": world.outsider.id,
        },
    )
    assert response.status_code == 400
    assert b"Choose someone from the team" in response.data and b"Keep me" in response.data
    assert db.session.scalar(db.select(db.func.count(Action.id))) == 0


def test_other_people_cannot_close_an_action(world, client_for):
    """Can a teammate who is not the owner or a facilitator mark it done? (No.)"""
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    action = factories.create_action(session, world.facilitator, world.facilitator)
    assert client_for(world.staff).post(f"/actions/{action.id}/done").status_code == 403
    assert client_for(world.outsider).post(f"/actions/{action.id}/done").status_code == 404


def test_team_feed_parses_and_shows_cancellations(client_for, client, world):
    """Does the team feed parse back with icalendar, with a cancelled occurrence marked?"""
    facilitator_client = client_for("facilitator")
    series = factories.create_review(world.north, world.facilitator)
    facilitator_client.post(f"/sessions/{series.sessions[1].id}/cancel")
    feed = services.feed_for(world.facilitator, world.north)
    db.session.commit()
    response = client.get(f"/calendar/team/{feed.token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == len(series.sessions)
    statuses = [str(e["STATUS"]) for e in events]
    assert statuses[1] == "CANCELLED" and statuses.count("CANCELLED") == 1
    assert events[0].decoded("DTSTART") == series.sessions[0].starts_at
    assert str(events[0]["SUMMARY"]) == "Team reflection"


def test_feed_token_reset_stops_the_old_one_at_once(client_for, client, world):
    """After a reset, does the old feed address stop working immediately?"""
    facilitator_client = client_for("facilitator")
    factories.create_review(world.north, world.facilitator)
    old = services.feed_for(world.facilitator, world.north).token
    db.session.commit()
    assert client.get(f"/calendar/team/{old}.ics").status_code == 200
    facilitator_client.post(f"/teams/{world.north.id}/calendar/reset")
    db.session.expire_all()
    new = services.feed_for(world.facilitator, world.north).token
    assert new != old
    assert client.get(f"/calendar/team/{old}.ics").status_code == 404
    assert client.get(f"/calendar/team/{new}.ics").status_code == 200
    assert client.get("/calendar/team/guess.ics").status_code == 404


def test_personal_feed_covers_only_the_persons_teams(client_for, client, world):
    """Does a person's feed hold their teams' sessions and no one else's?"""
    client_for("staff")
    factories.create_review(world.north, world.facilitator, rule="", title="North only")
    factories.create_review(world.south, world.outsider, rule="", title="South only")
    feed = services.feed_for(world.staff)
    db.session.commit()
    body = client.get(f"/calendar/me/{feed.token}.ics").data
    assert b"North only" in body and b"South only" not in body


def test_reminders_are_sent_once_with_the_agenda(app, world, runner, smtp_sink):
    """Does send-reminders e-mail each member tomorrow's agenda, and only once?"""
    start = (datetime.now(UTC) + timedelta(hours=20)).astimezone().replace(tzinfo=None)
    series = factories.create_review(world.north, world.facilitator, start=start, rule="")
    factories.create_agenda_item(series.sessions[0], world.staff, title="Missed Mondays")
    first = runner.invoke(args=["send-reminders"])
    assert "2 reminders sent" in first.output, first.output
    assert {m.rcpt_tos[0] for m in smtp_sink.envelopes} == {
        "staff@example.org",
        "facilitator@example.org",
    }
    assert b"Missed Mondays" in smtp_sink.envelopes[0].content
    second = runner.invoke(args=["send-reminders"])
    assert "0 reminders sent" in second.output
    assert db.session.scalar(db.select(db.func.count(ReminderSent.id))) == 2


def test_summary_is_printable_and_home_shows_the_next_session(client_for, world):
    """Is there a printable summary, and does the home page show the next session?"""
    client = client_for("staff")
    series = factories.create_review(world.north, world.facilitator, title="Fortnightly")
    page = client.get(f"/sessions/{series.sessions[0].id}/summary")
    assert page.status_code == 200 and b"@media print" not in page.data
    home = client.get("/").get_data(as_text=True)
    assert "Next review session" in home and "Fortnightly" in home


def test_seed_demo_adds_a_fortnightly_series_with_history(runner):
    """Does seed-demo add fortnightly series with past notes and open actions?"""
    assert runner.invoke(args=["seed-demo", "--password", "demo-password-123"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) >= 4
    open_actions = db.session.scalar(
        db.select(db.func.count(Action.id)).where(Action.done_at.is_(None))
    )
    assert open_actions >= 2
