"""Anonymised engagement cases: timeline, triggers, plan, peer reflections, who opened them."""

import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.auth.models import Team, User
from learning_hub.core.database import UTCDateTime, utcnow
from learning_hub.core.extensions import db
from learning_hub.core.markdown import stored

# Codes avoid letters and digits that are easy to confuse (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _enum(enum_cls, length=24):
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda cls: [m.value for m in cls],
    )


class Labelled(enum.StrEnum):
    @property
    def label(self):
        return self.value.replace("-", " ").capitalize()


class Gender(Labelled):
    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    NOT_RECORDED = "not-recorded"


AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")


class Pattern(Labelled):
    NON_STARTER = "non-starter"
    SPORADIC = "sporadic"
    DROPPED_OUT = "dropped-out"
    STEADY = "steady"


class Method(Labelled):
    PHONE = "phone"
    TEXT = "text"
    VISIT = "visit"
    LETTER = "letter"
    VIDEO = "video"
    IN_PERSON = "in-person"


class Initiator(Labelled):
    WORKER = "worker"
    PERSON = "person"
    OTHER_AGENCY = "other-agency"


class Outcome(Labelled):
    ATTENDED = "attended"
    REACHED = "reached"
    MISSED = "missed"
    CANCELLED = "cancelled"
    NO_ANSWER = "no-answer"
    RETURNED_TO_CUSTODY = "returned-to-custody"
    OTHER = "other"

    @property
    def is_contact(self):
        """Did this entry actually connect with the person?"""
        return self in (Outcome.ATTENDED, Outcome.REACHED)


class TriggerKind(Labelled):
    THOUGHTS = "thoughts"
    FEELINGS = "feelings"
    BEHAVIOUR = "behaviour"
    RELATIONSHIPS = "relationships"


FEELINGS = ("frustration", "relief", "indignation", "anxiety", "other")


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (sa.Index("ix_cases_team_status", "team_id", "is_closed", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    gender: Mapped[Gender] = mapped_column(_enum(Gender), default=Gender.NOT_RECORDED)
    age_band: Mapped[str | None] = mapped_column(sa.String(8))
    context: Mapped[str] = mapped_column(sa.Text, default="")
    context_html: Mapped[str] = mapped_column(sa.Text, default="")
    pattern_confirmed: Mapped[Pattern | None] = mapped_column(_enum(Pattern))
    # Rollup of the timeline, rewritten on every change (see cases/spells.py):
    # team insights aggregate these columns instead of re-deriving every timeline.
    pattern_suggested: Mapped[str | None] = mapped_column(sa.String(24))
    spell_count: Mapped[int] = mapped_column(default=0)
    spell_days: Mapped[int] = mapped_column(default=0)
    in_spell: Mapped[bool] = mapped_column(default=False)
    is_closed: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    team: Mapped[Team] = relationship()
    entries: Mapped[list["TimelineEntry"]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="(TimelineEntry.occurred_on, TimelineEntry.id)",
    )
    triggers: Mapped[list["Trigger"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Trigger.id"
    )
    plan: Mapped["EngagementPlan | None"] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    reflections: Mapped[list["CaseReflection"]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="CaseReflection.created_at.desc()",
    )

    @staticmethod
    def new_code():
        """A random code such as C-7K3F: derived from nothing about the person."""
        return "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))

    def can_view(self, user):
        """Members of the case's team may see it."""
        return user.is_authenticated and self.team_id in user.team_ids()

    def can_edit(self, user):
        """They may change it while it is open."""
        return self.can_view(user) and not self.is_closed

    @property
    def context_rendered(self):
        return stored(self.context_html)

    def close(self):
        if self.is_closed:
            raise ValueError(f"Case {self.code} is already closed")
        self.is_closed = True
        self.closed_at = self.updated_at = utcnow()

    def reopen(self):
        if not self.is_closed:
            raise ValueError(f"Case {self.code} is already open")
        self.is_closed = False
        self.closed_at = None
        self.updated_at = utcnow()


class TimelineEntry(db.Model):
    """One contact attempt or appointment: recording a failed attempt counts as much as contact."""

    __tablename__ = "timeline_entries"
    __table_args__ = (sa.Index("ix_timeline_entries_case_date", "case_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    method: Mapped[Method] = mapped_column(_enum(Method))
    initiated_by: Mapped[Initiator] = mapped_column(_enum(Initiator))
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="entries")


class ContactTally(db.Model):
    """Timeline entries per team, method and outcome, kept up to date on every write.

    Team insights read these few rows instead of counting every entry a team has
    ever recorded, so the page costs the same after ten years as after one.
    """

    __tablename__ = "contact_tallies"

    team_id: Mapped[int] = mapped_column(
        sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[Method] = mapped_column(_enum(Method), primary_key=True)
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome), primary_key=True)
    entries: Mapped[int] = mapped_column(default=0)


class Trigger(db.Model):
    __tablename__ = "triggers"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TriggerKind] = mapped_column(_enum(TriggerKind))
    description: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="triggers")


class EngagementPlan(db.Model):
    """A co-produced plan: what the person prefers and what happens in a disengaged spell."""

    __tablename__ = "engagement_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    made_with_person: Mapped[bool] = mapped_column()
    preferred_times: Mapped[str] = mapped_column(sa.Text, default="")
    preferred_methods: Mapped[list] = mapped_column(sa.JSON, default=list)
    others_may_contact: Mapped[str] = mapped_column(sa.Text, default="")
    during_disengagement: Mapped[str] = mapped_column(sa.Text, default="")
    reminders: Mapped[str] = mapped_column(sa.Text, default="")
    agreed_on: Mapped[date] = mapped_column(sa.Date)
    review_on: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    case: Mapped[Case] = relationship(back_populates="plan")


class CaseReflection(db.Model):
    """A peer reflection in three parts, and what the case stirs in its author."""

    __tablename__ = "case_reflections"
    __table_args__ = (sa.Index("ix_case_reflections_case", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    identify: Mapped[str] = mapped_column(sa.Text)
    identify_html: Mapped[str] = mapped_column(sa.Text)
    analyse: Mapped[str] = mapped_column(sa.Text)
    analyse_html: Mapped[str] = mapped_column(sa.Text)
    plan: Mapped[str] = mapped_column(sa.Text)
    plan_html: Mapped[str] = mapped_column(sa.Text)
    feelings: Mapped[list] = mapped_column(sa.JSON, default=list)
    other_feeling: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="reflections")
    author: Mapped[User | None] = relationship()
    responses: Mapped[list["CaseResponse"]] = relationship(
        back_populates="reflection",
        cascade="all, delete-orphan",
        order_by="CaseResponse.created_at",
    )

    def part(self, name):
        return stored(getattr(self, f"{name}_html"))


class CaseResponse(db.Model):
    __tablename__ = "case_responses"
    __table_args__ = (
        sa.Index("ix_case_responses_reflection_author", "reflection_author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        sa.ForeignKey("case_reflections.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The case reflection's author, copied on write, for the home page's newest-first list.
    reflection_author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    seen_by_author_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    reflection: Mapped[CaseReflection] = relationship(back_populates="responses")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def html(self):
        return stored(self.body_html)


# The case page draws its timeline and triggers once for each version of the case
# (``cases.routes.timeline_view``); the version is the case's ``updated_at``.
_DRAWN_WITH_THE_CASE = (TimelineEntry, Trigger)


@sa.event.listens_for(AppSession, "before_flush")
def _touch_case(session, _flush_context, _instances):
    """Any change to a case's entries or triggers moves the case's ``updated_at`` with it.

    The services already do so; this holds it for every other write through the
    session too, so a remembered drawing can never outlive the rows it shows.
    """
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, _DRAWN_WITH_THE_CASE):
            case = row.case or (row.case_id and session.get(Case, row.case_id))
            if case and case not in session.deleted:
                case.updated_at = utcnow()
