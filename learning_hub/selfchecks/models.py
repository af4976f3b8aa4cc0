"""Self-checks, their answers, the per-period rollup that drift reads, and shares."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.auth.models import Team, User
from learning_hub.core.database import UTCDateTime, utcnow
from learning_hub.core.extensions import db

MAX_NOTE_LENGTH = 4_000


class CheckStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class SelfCheck(db.Model):
    """One taking of the instrument by one person: a draft until they submit it."""

    __tablename__ = "self_checks"
    __table_args__ = (
        sa.Index("ix_self_checks_user_status", "user_id", "status", "submitted_at"),
        sa.Index("ix_self_checks_submitted_at", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    instrument_slug: Mapped[str] = mapped_column(sa.String(80))
    instrument_version: Mapped[int] = mapped_column()
    status: Mapped[CheckStatus] = mapped_column(
        sa.Enum(
            CheckStatus,
            native_enum=False,
            length=12,
            values_callable=lambda cls: [m.value for m in cls],
        ),
        default=CheckStatus.DRAFT,
    )
    notes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {principle: text}
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    answers: Mapped[list["SelfCheckAnswer"]] = relationship(
        back_populates="self_check", cascade="all, delete-orphan"
    )
    shares: Mapped[list["SelfCheckShare"]] = relationship(
        back_populates="self_check", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self):
        return self.status == CheckStatus.SUBMITTED

    def ratings(self):
        return {a.item_id: a.rating for a in self.answers}

    def principle_scores(self):
        """{principle: mean rating} over the answered items of each principle."""
        sums = {}
        for answer in self.answers:
            total, count = sums.get(answer.principle, (0, 0))
            sums[answer.principle] = (total + answer.rating, count + 1)
        return {p: total / count for p, (total, count) in sums.items()}

    def active_share(self):
        return next((s for s in self.shares if s.revoked_at is None), None)

    def submit(self):
        if self.is_submitted:
            raise ValueError("This self-check has already been submitted")
        self.status = CheckStatus.SUBMITTED
        self.submitted_at = self.updated_at = utcnow()

    def can_view(self, user):
        """The person themselves, or a facilitator of the team it is shared with."""
        if not user.is_authenticated:
            return False
        if self.user_id == user.id:
            return True
        share = self.active_share()
        return share is not None and share.team_id in user.facilitated_team_ids()

    def can_edit(self, user):
        return user.is_authenticated and self.user_id == user.id


class SelfCheckAnswer(db.Model):
    __tablename__ = "self_check_answers"
    __table_args__ = (
        sa.UniqueConstraint("self_check_id", "item_id"),
        sa.CheckConstraint("rating BETWEEN 0 AND 4", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    self_check_id: Mapped[int] = mapped_column(
        sa.ForeignKey("self_checks.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(sa.String(80))
    principle: Mapped[str] = mapped_column(sa.String(40))
    rating: Mapped[int] = mapped_column()

    self_check: Mapped[SelfCheck] = relationship(back_populates="answers")


class PeriodScore(db.Model):
    """Rollup kept on submit: a person's score per principle for one calendar month.

    It holds the person's latest submitted check in the month, so drift and the
    dashboard aggregate these rows in SQL and never read individual answers.
    """

    __tablename__ = "period_scores"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "period_on", "principle"),
        sa.Index("ix_period_scores_period_principle", "period_on", "principle"),
        # Covers the team aggregate: the scores, and when each was submitted (which
        # teams it counts for), are read from the index alone.
        sa.Index(
            "ix_period_scores_cover", "user_id", "period_on", "principle", "score", "submitted_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    period_on: Mapped[date] = mapped_column(sa.Date)
    principle: Mapped[str] = mapped_column(sa.String(40))
    score: Mapped[float] = mapped_column(sa.Float)
    self_check_id: Mapped[int] = mapped_column(
        sa.ForeignKey("self_checks.id", ondelete="CASCADE"), index=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SelfCheckShare(db.Model):
    """One result shared with the facilitators of one of the person's teams."""

    __tablename__ = "self_check_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    self_check_id: Mapped[int] = mapped_column(
        sa.ForeignKey("self_checks.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    self_check: Mapped[SelfCheck] = relationship(back_populates="shares")
    team: Mapped[Team] = relationship()

    def revoke(self):
        if self.revoked_at is not None:
            raise ValueError("This share has already been withdrawn")
        self.revoked_at = utcnow()
