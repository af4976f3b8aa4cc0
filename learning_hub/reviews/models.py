"""Team review sessions: series and their occurrences, agendas, notes, actions, reminders."""

import enum
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.auth.models import Team, User
from learning_hub.cases.models import Case
from learning_hub.core.database import UTCDateTime, utcnow
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection


def new_calendar_token():
    return secrets.token_urlsafe(24)


class ReviewSeries(db.Model):
    """What a facilitator schedules: one session, or a recurring series (RFC 5545 rule)."""

    __tablename__ = "review_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    first_start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column()
    rrule: Mapped[str] = mapped_column(sa.String(300), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    team: Mapped[Team] = relationship()
    sessions: Mapped[list["ReviewSession"]] = relationship(
        back_populates="series", cascade="all, delete-orphan", order_by="ReviewSession.starts_at"
    )

    @property
    def is_recurring(self):
        return bool(self.rrule)


class ReviewSession(db.Model):
    """One occurrence. Moving or cancelling it leaves the rest of the series alone."""

    __tablename__ = "review_sessions"
    __table_args__ = (
        sa.UniqueConstraint("series_id", "original_start_at"),
        sa.Index("ix_review_sessions_team_start", "team_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("review_series.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    # The occurrence's place in the rule (RECURRENCE-ID), kept when it is moved.
    original_start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column()
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE, bumped on change

    series: Mapped[ReviewSeries] = relationship(back_populates="sessions")
    team: Mapped[Team] = relationship()
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="(AgendaItem.position, AgendaItem.id)",
    )
    actions: Mapped[list["Action"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Action.id"
    )

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def title(self):
        return self.series.title

    @property
    def location(self):
        return self.series.location

    @property
    def is_recurring(self):
        return self.series.is_recurring

    def can_view(self, user):
        """Its team's members may see it."""
        return user.is_authenticated and self.team_id in user.team_ids()

    def can_facilitate(self, user):
        """Its team's facilitators may run it."""
        return user.is_authenticated and self.team_id in user.facilitated_team_ids()

    def participation(self):
        """Who took part, by what they did: ``[(name, ["raised an item", "took an action"])]``
        sorted by name (not a register); a former member (no person) is left out."""
        people = {}
        for item in self.items:
            if item.raised_by is not None:
                people.setdefault(item.raised_by.display_name, set()).add("raised an item")
        for action in (action for item in self.items for action in item.actions):
            if action.owner is not None:
                people.setdefault(action.owner.display_name, set()).add("took an action")
        return sorted((name, sorted(what)) for name, what in people.items())

    def is_past(self, now=None):
        return self.ends_at < (now or utcnow())

    def cancel(self):
        if self.is_cancelled:
            raise ValueError("This session is already cancelled")
        self.is_cancelled = True
        self.sequence += 1

    def move(self, starts_at, duration_minutes):
        if self.is_cancelled:
            raise ValueError("Restore the session before moving it")
        self.starts_at, self.duration_minutes = starts_at, duration_minutes
        self.sequence += 1


class ItemKind(enum.StrEnum):
    CASE = "case"
    CASE_REFLECTION = "case-reflection"
    MODULE = "module"
    SHARED_REFLECTION = "shared-reflection"
    SYSTEM_QUESTION = "system-question"

    @property
    def label(self):
        return {
            "case": "A case",
            "case-reflection": "A case reflection",
            "module": "A module",
            "shared-reflection": "A shared reflection",
            "system-question": "A system question",
        }[self.value]


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        sa.Index("ix_agenda_items_session", "session_id", "position"),
        sa.Index("ix_agenda_items_raised_by_created", "raised_by_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("review_sessions.id", ondelete="CASCADE"))
    raised_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ItemKind] = mapped_column(
        sa.Enum(
            ItemKind, native_enum=False, length=24, values_callable=lambda c: [m.value for m in c]
        )
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    case_reflection_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("case_reflections.id", ondelete="SET NULL"), index=True
    )
    reflection_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reflections.id", ondelete="SET NULL"), index=True
    )
    module_slug: Mapped[str | None] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    timebox_minutes: Mapped[int | None] = mapped_column()
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes_html: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    decisions_html: Mapped[str] = mapped_column(sa.Text, default="")
    # Optimistic locking: a save names the version it started from.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[ReviewSession] = relationship(back_populates="items")
    raised_by: Mapped[User | None] = relationship()
    case: Mapped[Case | None] = relationship()
    reflection: Mapped[Reflection | None] = relationship()
    actions: Mapped[list["Action"]] = relationship(back_populates="item", order_by="Action.id")

    @hybrid_property
    def touches_case(self):
        """Whether the item is about a case (so the guard checks its notes)."""
        return self.case_id is not None or self.case_reflection_id is not None

    @touches_case.inplace.expression
    @classmethod
    def _touches_case_expression(cls):
        return sa.or_(cls.case_id.is_not(None), cls.case_reflection_id.is_not(None))


class Action(db.Model):
    __tablename__ = "actions"
    __table_args__ = (
        sa.Index("ix_actions_owner_open", "owner_id", "done_at", "due_on"),
        sa.Index("ix_actions_team_open", "team_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review_sessions.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(sa.String(500))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[ReviewSession] = relationship(back_populates="actions")
    item: Mapped[AgendaItem | None] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def is_open(self):
        return self.done_at is None

    def mark_done(self, note):
        if self.done_at is not None:
            raise ValueError("This action is already done")
        self.done_at, self.done_note = utcnow(), note or ""


class ReminderStatus(enum.StrEnum):
    CLAIMED = "claimed"  # committed before the message is handed over: never sent again
    SENT = "sent"
    FAILED = "failed"  # the SMTP server or the message refused it: a later run retries


class ReminderSent(db.Model):
    """One row per person and session, so a reminder is never sent twice.

    The row is claimed (and committed) before the message goes, then marked sent
    or failed: a run that stops part-way leaves the people it reached claimed or
    sent, and a later run sends to the rest and retries the failed ones only.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReminderStatus] = mapped_column(
        sa.Enum(
            ReminderStatus,
            native_enum=False,
            length=8,
            values_callable=lambda c: [m.value for m in c],
        ),
        default=ReminderStatus.CLAIMED,
        server_default=ReminderStatus.SENT.value,
    )
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CalendarFeed(db.Model):
    """A private, resettable token for one person's iCalendar feed: of all their teams'
    sessions (no team), or of one team's, which answers only while they are in it.

    Each member has their own token for a team's feed, so leaving the team (or being
    deactivated) ends that person's address without changing anyone else's.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "team_id", name="uq_calendar_feeds_user_team"),
        sa.Index(
            "uq_calendar_feeds_personal",
            "user_id",
            unique=True,
            sqlite_where=sa.text("team_id IS NULL"),
            postgresql_where=sa.text("team_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_calendar_token)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def reset(self):
        self.token = new_calendar_token()
        self.reset_at = utcnow()
