"""send-reminders against a real SMTP server: one bad message does not stop the rest, and a
run that stops part-way, then runs again, reaches everyone exactly once."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from learning_hub.core import mail
from learning_hub.core.extensions import db
from learning_hub.reviews import services
from learning_hub.reviews.models import ReminderSent
from tests import factories


@pytest.fixture
def sink(smtp_sink):
    """The local SMTP server the reminders go to."""
    return smtp_sink


def tomorrow_session(world, team=None, title="Team reflection"):
    start = (datetime.now(UTC) + timedelta(hours=20)).astimezone().replace(tzinfo=None)
    team = team or world.north
    return factories.create_review(team, world.facilitator, start=start, rule="", title=title)


def add_members(team, count):
    return [
        factories.create_user(email=f"member{n}@example.org", teams={team: "member"})
        for n in range(count)
    ]


def statuses():
    db.session.expire_all()
    return Counter(row.status for row in db.session.scalars(db.select(ReminderSent)))


def test_a_refused_recipient_is_counted_and_the_others_still_go(world, runner, sink):
    """When the SMTP server refuses one address, do the others get theirs, with a failing exit?"""
    tomorrow_session(world)
    sink.refuse = {"staff@example.org"}
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 1, first.output
    assert "1 reminder sent, 1 failed, 0 skipped" in first.output
    assert sink.recipients() == {"facilitator@example.org": 1}
    assert statuses() == {"sent": 1, "failed": 1}
    sink.refuse = set()
    second = runner.invoke(args=["send-reminders"])  # the failed one is retried, once
    assert second.exit_code == 0, second.output
    assert "1 reminder sent, 0 failed, 1 skipped" in second.output
    assert sink.recipients() == {"facilitator@example.org": 1, "staff@example.org": 1}
    assert statuses() == {"sent": 2}


def test_a_malformed_address_fails_alone_and_injects_nothing(world, runner, sink):
    """Does an address with a line break in it fail on its own, adding no recipient?"""
    tomorrow_session(world)
    world.staff.email = "staff@example.org\r\nBcc: spy@example.org"
    db.session.commit()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 1
    assert "1 reminder sent, 1 failed" in result.output
    assert sink.recipients() == {"facilitator@example.org": 1}


def test_a_session_whose_reminder_cannot_be_written_does_not_stop_the_others(
    world, runner, sink, monkeypatch
):
    """If one session's reminder fails to render, do the other sessions' reminders still go?"""
    broken = tomorrow_session(world, title="Broken").sessions[0]
    tomorrow_session(world, team=world.south, title="Fine")
    real = services._reminder

    def reminder(session):
        if session.id == broken.id:
            raise RuntimeError("a template error for this session")
        return real(session)

    monkeypatch.setattr(services, "_reminder", reminder)
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 1
    assert "1 reminder sent, 2 failed, 0 skipped" in result.output
    assert sink.recipients() == {"outsider@example.org": 1}
    monkeypatch.setattr(services, "_reminder", real)
    again = runner.invoke(args=["send-reminders"])
    assert "2 reminders sent, 0 failed, 1 skipped" in again.output
    assert sink.recipients() == {
        "outsider@example.org": 1,
        "staff@example.org": 1,
        "facilitator@example.org": 1,
    }


class Crash(BaseException):
    """The process dying part-way (not an error the job could catch and count)."""


def test_a_run_that_crashes_part_way_then_runs_again_reaches_everyone_once(
    world, runner, sink, monkeypatch
):
    """After a crash just after the third message, does a second run send to exactly the rest?"""
    tomorrow_session(world)
    add_members(world.north, 6)  # with the facilitator and staff: 8 people
    real_send, handed = mail.send, []

    def send_then_crash(to, subject, body):
        sent = real_send(to, subject, body)
        handed.append(to)
        if len(handed) == 3:
            raise Crash
        return sent

    monkeypatch.setattr(mail, "send", send_then_crash)
    with pytest.raises(Crash):
        runner.invoke(args=["send-reminders"], catch_exceptions=False)
    db.session.rollback()  # what a dead process leaves: only what it committed
    assert len(sink.envelopes) == 3
    monkeypatch.setattr(mail, "send", real_send)
    second = runner.invoke(args=["send-reminders"])
    assert second.exit_code == 0, second.output
    assert "5 reminders sent, 0 failed, 3 skipped" in second.output
    recipients = sink.recipients()
    assert len(recipients) == 8 and set(recipients.values()) == {1}
    assert statuses() == {"sent": 7, "claimed": 1}
    third = runner.invoke(args=["send-reminders"])
    assert "0 reminders sent, 0 failed, 8 skipped" in third.output
    assert len(sink.envelopes) == 8


def test_retention_removes_old_claims_that_were_never_sent(app, world):
    """Does retention also remove an old claimed or failed receipt (which has no sent_at)?"""
    from learning_hub.privacy.retention import _delete_reminders

    session = tomorrow_session(world).sessions[0]
    long_ago = datetime.now(UTC) - timedelta(days=4000)
    db.session.add_all(
        [
            ReminderSent(session_id=session.id, user_id=world.staff.id, claimed_at=long_ago),
            ReminderSent(
                session_id=session.id,
                user_id=world.facilitator.id,
                status="failed",
                claimed_at=long_ago,
            ),
        ]
    )
    db.session.commit()
    assert _delete_reminders(datetime.now(UTC)) == 2
