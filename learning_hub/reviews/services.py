"""Scheduling, agendas, notes with optimistic locking, actions, calendar feeds, reminders.

Times: a series is defined in its team's time zone (a local wall-clock start
and an RFC 5545 rule, expanded with python-dateutil in local time, so a 10:00
meeting stays at 10:00 across a daylight-saving change) and every occurrence
is stored in UTC. Occurrences are created up to ``HORIZON_DAYS`` ahead. Rules are
read and expanded, with bounded work, in ``reviews/recurrence.py``.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template
from icalendar import Calendar, Event
from sqlalchemy.orm import Load, joinedload

from learning_hub.auth.models import Membership, User
from learning_hub.core import audit, mail, markdown
from learning_hub.core.database import read, utcnow
from learning_hub.core.extensions import cache, db
from learning_hub.core.pagination import paginate
from learning_hub.reviews.models import (
    Action,
    AgendaItem,
    CalendarFeed,
    ItemKind,
    ReminderSent,
    ReminderStatus,
    ReviewSeries,
    ReviewSession,
)
from learning_hub.reviews.recurrence import (  # noqa: F401 (the rules' names, used from here)
    HORIZON_DAYS,
    MAX_OCCURRENCES,
    RULE_HELP,
    NonexistentTime,
    ScheduleError,
    expand,
    local_to_utc,
)

log = logging.getLogger(__name__)
SYSTEM_QUESTIONS = (
    "Where do our rules limit choice?",
    "Where do we confuse attendance with participation?",
    "Where are decisions made about people rather than with them?",
    "What did we stop doing when we got busy?",
)


class StaleEdit(Exception):
    """Someone else saved the notes first; the caller keeps the text that was typed."""

    def __init__(self, item):
        self.item = item
        super().__init__("Someone else saved these notes while you were editing")


def schedule(team, user, *, title, location, local_start, duration_minutes, rule_text, until):
    """Create a one-off or recurring series and its occurrences."""
    starts = expand(local_start, rule_text, team.timezone, until=until)
    series = ReviewSeries(
        team_id=team.id,
        title=title,
        location=location or "",
        first_start_at=starts[0],
        duration_minutes=duration_minutes,
        rrule=(rule_text or "").strip().removeprefix("RRULE:"),
        timezone=team.timezone,
        ended_on=until,
        created_by_id=user.id,
    )
    db.session.add(series)
    db.session.flush()
    for start in starts:
        db.session.add(
            ReviewSession(
                series_id=series.id,
                team_id=team.id,
                original_start_at=start,
                starts_at=start,
                duration_minutes=duration_minutes,
            )
        )
    db.session.flush()
    audit.record("review.scheduled", series, actor=user, detail=f"{len(starts)} sessions")
    return series


def end_series(series, user, after):
    """End a series: every occurrence after ``after`` (UTC) goes, earlier ones stay."""
    later = [s for s in series.sessions if s.starts_at > after]
    for session in later:
        if session.items or session.actions:
            session.cancel()  # keep what people wrote; show it as cancelled
        else:
            db.session.delete(session)
    series.ended_on = after.date()
    audit.record("review.series_ended", series, actor=user, detail=f"{len(later)} removed")
    return len(later)


def upcoming_for_team(team, now=None, limit=None):
    stmt = (
        db.select(ReviewSession)
        .where(ReviewSession.team_id == team.id, ReviewSession.starts_at >= (now or utcnow()))
        .options(db.joinedload(ReviewSession.series))
        .order_by(ReviewSession.starts_at)
    )
    return db.session.scalars(stmt.limit(limit) if limit else stmt).all()


def past_for_team(team, now=None):
    return (
        db.select(ReviewSession)
        .where(ReviewSession.team_id == team.id, ReviewSession.starts_at < (now or utcnow()))
        .options(db.joinedload(ReviewSession.series))
        .order_by(ReviewSession.starts_at.desc())
    )


# A session shows the most urgent few open actions from earlier sessions and links
# to the team's whole list, so its page does not grow with a team's backlog.
CARRIED_SHOWN = 10
OPEN_ACTIONS_PER_PAGE = 25


def _open_actions_of_team(team_id, *columns):
    """A select of ``columns`` over the team's open actions, most urgent first (due
    soonest, then those without a date)."""
    return (
        sa.select(*columns)
        .join(ReviewSession, Action.session_id == ReviewSession.id)
        .where(Action.team_id == team_id, Action.done_at.is_(None))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
    )


# The agenda's carried actions: the team's open ones from sessions that began earlier.
CARRIED = (
    _open_actions_of_team(
        sa.bindparam("team_id"),
        Action.id,
        Action.description,
        Action.due_on,
        User.display_name.label("owner_name"),
        sa.func.count().over().label("total"),
    )
    .outerjoin(User, Action.owner_id == User.id)
    .where(ReviewSession.starts_at < sa.bindparam("starts_at"))
    .limit(sa.bindparam("limit"))
)


def carried_actions(session, limit=CARRIED_SHOWN):
    """The most urgent open actions from the team's earlier sessions, the top of this
    session's agenda (due soonest first, then those without a date), as rows of what
    the agenda and the reminder show, and how many are open in all: ``(actions, total)``.

    The window count is taken before the limit, so one statement answers both.
    """
    rows = read(
        CARRIED, {"team_id": session.team_id, "starts_at": session.starts_at, "limit": limit}
    ).all()
    return rows, rows[0].total if rows else 0


def team_open_actions_page(team, page):
    """Page ``page`` of every open action of the team, most urgent first."""
    return paginate(
        _open_actions_of_team(team.id, Action).options(
            joinedload(Action.owner), joinedload(Action.session).joinedload(ReviewSession.series)
        ),
        page,
        OPEN_ACTIONS_PER_PAGE,
    )


# Home is a summary: the most urgent open actions, then how many more there are.
HOME_ACTIONS = 5


# A person's open actions in the teams they are still in (leaving a team ends them here).
OPEN_ACTIONS_OF_PERSON = (
    sa.select(
        Action.id,
        Action.description,
        Action.due_on,
        Action.session_id,
        ReviewSeries.title.label("series_title"),
        sa.func.count().over().label("total"),
    )
    .join(ReviewSession, Action.session_id == ReviewSession.id)
    .join(ReviewSeries, ReviewSession.series_id == ReviewSeries.id)
    .join(
        Membership,
        (Membership.team_id == ReviewSession.team_id) & (Membership.user_id == Action.owner_id),
    )
    .where(Action.owner_id == sa.bindparam("user_id"), Action.done_at.is_(None))
    .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
    .limit(sa.bindparam("limit"))
)


def open_actions_for(user, limit=HOME_ACTIONS):
    """The person's most urgent open actions (due soonest first, undated last), at most
    ``limit``, as rows of what their home page lists, and how many they have in all."""
    rows = read(OPEN_ACTIONS_OF_PERSON, {"user_id": user.id, "limit": limit}).all()
    return rows, rows[0].total if rows else 0


# The first session, not cancelled, of some teams from a time on, with what home shows.
NEXT_SESSION = (
    sa.select(ReviewSession)
    .where(
        ReviewSession.team_id.in_(sa.bindparam("team_ids", expanding=True)),
        ReviewSession.is_cancelled.is_(False),
        ReviewSession.starts_at >= sa.bindparam("since"),
    )
    .options(
        joinedload(ReviewSession.series),
        joinedload(ReviewSession.team),
        Load(ReviewSession).raiseload("*"),
    )
    .order_by(ReviewSession.starts_at)
    .limit(1)
)


def next_session_for(user, now=None):
    """The next session (not cancelled, started at most two hours ago) of any of the
    person's teams, with its series and team (what home shows of it), or None."""
    team_ids = user.team_ids()
    if not team_ids:
        return None
    since = (now or utcnow()) - timedelta(hours=2)
    return db.session.scalar(NEXT_SESSION, {"team_ids": sorted(team_ids), "since": since})


def propose_item(
    session,
    user,
    *,
    kind,
    title,
    timebox,
    case=None,
    case_reflection=None,
    reflection=None,
    module_slug=None,
):
    """Add an item at the end of the session's agenda: its position is one past the last.

    The position is read in SQL with the session's row locked, so two proposals at
    once cannot take the same place (see ``_lock_agenda``).
    """
    _lock_agenda(session)
    last = db.session.scalar(
        sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.session_id == session.id)
    )
    position = 1 + (last or 0)
    item = AgendaItem(
        session=session,  # appended to session.items only if they are already loaded
        raised_by_id=user.id,
        kind=ItemKind(kind),
        title=title,
        timebox_minutes=timebox,
        position=position,
        case_id=case.id if case else None,
        case_reflection_id=case_reflection.id if case_reflection else None,
        reflection_id=reflection.id if reflection else None,
        module_slug=module_slug,
    )
    db.session.add(item)
    db.session.flush()
    return item


def _lock_agenda(session):
    """Hold the session's row until the transaction ends: one writer of its agenda at a time.

    PostgreSQL runs writers side by side, so proposals and moves lock the row
    (SELECT ... FOR UPDATE) before they read the positions; under READ COMMITTED the
    reads that follow see what the previous holder committed. SQLite's writers
    already queue behind BEGIN IMMEDIATE, and it ignores FOR UPDATE.
    """
    db.session.execute(
        sa.select(ReviewSession.id).where(ReviewSession.id == session.id).with_for_update()
    )


def move_item(session, item, direction):
    """Swap ``item`` with its neighbour ("up" or "down") and number the agenda 1..N again.

    The agenda is read afresh after the session's row is locked, so moves at the same
    moment each start from the order the previous one left.
    """
    _lock_agenda(session)
    items = db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.session_id == session.id)
        .order_by(AgendaItem.position, AgendaItem.id)
        .execution_options(populate_existing=True)
    ).all()
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        raise ValueError(
            "That item is already at the " + ("top" if direction == "up" else "bottom")
        )
    items[index], items[other] = items[other], items[index]
    for position, entry in enumerate(items, start=1):
        entry.position = position
    db.session.expire(session, ["items"])  # read again in the new order if asked


def save_notes(item, *, notes, decisions, version):
    """Save notes and decisions if nobody saved since ``version``; else StaleEdit."""
    updated = db.session.execute(
        db.update(AgendaItem)
        .where(AgendaItem.id == item.id, AgendaItem.version == version)
        .values(
            notes=notes,
            notes_html=str(markdown.render(notes)),
            decisions=decisions,
            decisions_html=str(markdown.render(decisions)),
            version=version + 1,
        )
    ).rowcount
    if updated != 1:
        db.session.refresh(item)
        raise StaleEdit(item)
    db.session.refresh(item)
    return item


def add_action(session, user, *, description, owner, due_on, item=None):
    if owner.membership_in(session.team_id) is None:
        raise PermissionError("The owner must be a member of the team")
    action = Action(
        session_id=session.id,
        item_id=item.id if item else None,
        team_id=session.team_id,
        description=description,
        owner_id=owner.id,
        due_on=due_on,
        created_by_id=user.id,
    )
    db.session.add(action)
    db.session.flush()
    return action


# --- calendar feeds -----------------------------------------------------------------


def feed_for(user, team=None):
    """The person's own feed record (all their teams), or their feed of ``team``,
    created on first use."""
    team_id = team.id if team else None
    feed = db.session.scalar(
        db.select(CalendarFeed).where(
            CalendarFeed.user_id == user.id,
            CalendarFeed.team_id == team_id if team else CalendarFeed.team_id.is_(None),
        )
    )
    if feed is None:
        feed = CalendarFeed(user_id=user.id, team_id=team_id)
        db.session.add(feed)
        db.session.flush()
    return feed


def end_team_feeds(user, team=None):
    """Delete the person's feed addresses of ``team`` (or of every team, and their own
    too, when no team is given): a member who leaves or is deactivated keeps none."""
    condition = CalendarFeed.user_id == user.id
    if team is not None:
        condition &= CalendarFeed.team_id == team.id
    db.session.execute(sa.delete(CalendarFeed).where(condition))


FEED_DAYS_BACK = 90


def feed_rows(team_ids, now=None):
    """The sessions of ``team_ids`` from FEED_DAYS_BACK ago onwards, as a tuple of plain
    rows holding everything a feed shows (so the tuple can key the cached feed)."""
    if not team_ids:
        return ()
    since = (now or utcnow()) - timedelta(days=FEED_DAYS_BACK)
    rows = read(
        sa.select(
            ReviewSession.series_id,
            ReviewSession.original_start_at,
            ReviewSession.starts_at,
            ReviewSession.duration_minutes,
            ReviewSession.sequence,
            ReviewSession.is_cancelled,
            ReviewSeries.title,
            ReviewSeries.location,
        )
        .join(ReviewSeries, ReviewSession.series_id == ReviewSeries.id)
        .where(ReviewSession.team_id.in_(sorted(team_ids)), ReviewSession.starts_at >= since)
        .order_by(ReviewSession.starts_at, ReviewSession.id)
        .limit(1000)
    )
    return tuple(tuple(row) for row in rows)


def calendar_feed(team_ids, name):
    """The iCalendar document of the teams' review sessions, called ``name``.

    Cached on the rows themselves: any change to what it shows (a session moved,
    cancelled or added, a series renamed) changes the key.
    """
    return _calendar(feed_rows(team_ids), name, current_app.config.get("SERVER_NAME"))


@cache.memoize()
def _calendar(rows, name, server_name):
    """An iCalendar document: one VEVENT per occurrence, cancelled ones marked CANCELLED."""
    cal = Calendar()
    cal.add("prodid", "-//Learning Hub//Team review sessions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    base = server_name or "learning-hub"
    stamp = utcnow()  # when this document was made (RFC 5545 DTSTAMP of a feed)
    for series_id, original, starts, minutes, sequence, cancelled, title, location in rows:
        event = Event()
        event.add("uid", f"review-{series_id}-{int(original.timestamp())}@{base}")
        event.add("summary", title)
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(minutes=minutes))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        if location:
            event.add("location", location)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


# --- reminders ----------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What one run of send-reminders did: messages handed to the SMTP server, messages
    that failed (a later run retries them), and people already sent or claimed."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0


def send_reminders(commit, now=None):
    """E-mail each active member the agenda of their sessions in the next 24 hours, once.

    Each (session, person) is claimed and committed (``commit``: the CLI passes
    ``db.session.commit``) before its message goes, then marked sent or failed and
    committed again. So one bad message (a refused recipient, a malformed address, a
    template that fails for one session) is logged and counted and the others still go,
    and a run that stops part-way neither repeats the people it reached nor blocks the
    rest. A failed message is retried by a later run; a claimed one is never sent again,
    so a crash between a claim and the hand-over to SMTP leaves that one person without
    this reminder: at most once, never twice. Returns a ReminderRun.
    """
    now = now or utcnow()
    sessions = db.session.scalars(
        db.select(ReviewSession)
        .where(
            ReviewSession.starts_at > now,
            ReviewSession.starts_at <= now + timedelta(days=1),
            ReviewSession.is_cancelled.is_(False),
        )
        .options(db.joinedload(ReviewSession.series), db.joinedload(ReviewSession.team))
    ).all()
    run = ReminderRun()
    for session in sessions:
        members = db.session.execute(
            db.select(User.id, User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == session.team_id, User.is_active.is_(True))
            .order_by(User.id)
        ).all()
        earlier = dict(
            db.session.execute(
                db.select(ReminderSent.user_id, ReminderSent.status).where(
                    ReminderSent.session_id == session.id
                )
            ).all()
        )
        due = [m for m in members if earlier.get(m.id) in (None, ReminderStatus.FAILED)]
        run.skipped += len(members) - len(due)
        if not due:
            continue
        try:
            subject, body = _reminder(session)
        except Exception:  # one session's reminder cannot be written: the others still go
            log.exception("reminder for review session %s could not be written", session.id)
            run.failed += len(due)
            continue
        for member_id, email in due:
            claim = _claim_reminder(session.id, member_id, retry=member_id in earlier)
            commit()
            if claim is None:  # another run has it
                run.skipped += 1
                continue
            try:
                handed_over = mail.send(email, subject, body)
            except Exception:  # a malformed address, say: this one fails, the rest go
                log.exception("reminder for review session %s could not be sent", session.id)
                handed_over = False
            claim.status = ReminderStatus.SENT if handed_over else ReminderStatus.FAILED
            claim.sent_at = utcnow() if handed_over else None
            commit()
            if handed_over:
                run.sent += 1
            else:
                run.failed += 1
    return run


def _reminder(session):
    """The subject and body of the reminder for ``session``."""
    carried, carried_total = carried_actions(session)
    body = render_template(
        "reviews/reminder.txt",
        session=session,
        carried=carried,
        carried_total=carried_total,
        local=local_time(session.starts_at, session.team.timezone),
    )
    return f"Tomorrow: {session.series.title}", body


def _claim_reminder(session_id, user_id, *, retry):
    """The claimed ReminderSent row for the pair, or None when another run holds it.

    A new pair is inserted (the unique constraint decides between two runs at once);
    a failed one is taken back only if it is still failed.
    """
    if retry:
        claimed = db.session.execute(
            db.update(ReminderSent)
            .where(
                ReminderSent.session_id == session_id,
                ReminderSent.user_id == user_id,
                ReminderSent.status == ReminderStatus.FAILED,
            )
            .values(status=ReminderStatus.CLAIMED, claimed_at=utcnow())
        ).rowcount
        if claimed != 1:
            return None
        return db.session.scalar(
            db.select(ReminderSent)
            .where(ReminderSent.session_id == session_id, ReminderSent.user_id == user_id)
            .execution_options(populate_existing=True)
        )
    claim = ReminderSent(session_id=session_id, user_id=user_id, status=ReminderStatus.CLAIMED)
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except sa.exc.IntegrityError:
        return None
    return claim


def local_time(moment, tz_name):
    return moment.astimezone(ZoneInfo(tz_name))
