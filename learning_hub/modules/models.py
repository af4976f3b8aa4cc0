"""Progress through modules, reflections on their prompts, responses and learning goals."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.auth.models import User
from learning_hub.core.database import UTCDateTime, utcnow
from learning_hub.core.extensions import db
from learning_hub.core.markdown import stored

MAX_REFLECTION_LENGTH = 20_000


class ModuleProgress(db.Model):
    """One person's progress through one module, counted by reflections written."""

    __tablename__ = "module_progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(sa.String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when every prompt has an answer; writing again later (a revisit) moves it on.
    reflected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reflected_version: Mapped[int | None] = mapped_column()
    # The ids of the prompts the person has answered on this module (any version),
    # sorted: kept with the record on every write, so the pages that show a status
    # for every module read one row per module, not the person's every reflection.
    answered_prompts: Mapped[list] = mapped_column(
        sa.JSON, default=list, server_default=sa.text("'[]'")
    )


class Reflection(db.Model):
    """A person's answer to one prompt of one module version: private unless shared."""

    __tablename__ = "reflections"
    __table_args__ = (
        sa.Index("ix_reflections_author_module", "author_id", "module_slug"),
        sa.Index("ix_reflections_team_shared", "shared_team_id", "shared_at"),
        # Participation depth counts a person's writing within a date range.
        sa.Index("ix_reflections_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(sa.String(80))
    module_version: Mapped[int] = mapped_column()
    prompt_id: Mapped[str] = mapped_column(sa.String(80))
    prompt_text: Mapped[str] = mapped_column(sa.Text)  # as asked, should the file change
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    shared_team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("teams.id", ondelete="SET NULL")
    )
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    response_count: Mapped[int] = mapped_column(default=0)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    shared_team = relationship("Team")
    revisions: Mapped[list["ReflectionRevision"]] = relationship(
        back_populates="reflection",
        cascade="all, delete-orphan",
        order_by="ReflectionRevision.created_at.desc()",
    )
    responses: Mapped[list["ReflectionResponse"]] = relationship(
        back_populates="reflection",
        cascade="all, delete-orphan",
        order_by="ReflectionResponse.created_at",
    )

    @property
    def html(self):
        return stored(self.body_html)

    @property
    def is_shared(self):
        return self.shared_team_id is not None

    def can_view(self, user):
        """Its author may open it, and so may members of the team it is shared with."""
        return user.is_authenticated and (
            self.author_id == user.id
            or (self.shared_team_id is not None and self.shared_team_id in user.team_ids())
        )

    def can_edit(self, user):
        return user.is_authenticated and self.author_id == user.id

    def can_respond(self, user):
        return self.is_shared and self.can_view(user)


class ReflectionRevision(db.Model):
    """The text a reflection had before an edit."""

    __tablename__ = "reflection_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reflections.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reflection: Mapped[Reflection] = relationship(back_populates="revisions")

    @property
    def html(self):
        return stored(self.body_html)


class ReflectionResponse(db.Model):
    """A teammate's response to a shared reflection."""

    __tablename__ = "reflection_responses"
    __table_args__ = (
        sa.Index("ix_reflection_responses_reflection", "reflection_id", "created_at"),
        sa.Index("ix_reflection_responses_author_created", "author_id", "created_at"),
        # "Responses to your reflections" on the home page, newest first, in one range scan.
        sa.Index("ix_reflection_responses_reflection_author", "reflection_author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(sa.ForeignKey("reflections.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The author of the reflection responded to, copied on write: finding a person's
    # latest responses through a join walked every response in the site.
    reflection_author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    reflection: Mapped[Reflection] = relationship(back_populates="responses")
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    @property
    def html(self):
        return stored(self.body_html)


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    SET_ASIDE = "set-aside"

    @property
    def label(self):
        return {"active": "Working on it", "achieved": "Achieved", "set-aside": "Set aside"}[
            self.value
        ]


class LearningGoal(db.Model):
    """Something a person chose to learn, with the principles and modules it draws on."""

    __tablename__ = "learning_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    description_html: Mapped[str] = mapped_column(sa.Text)
    principles: Mapped[list] = mapped_column(sa.JSON, default=list)
    module_slugs: Mapped[list] = mapped_column(sa.JSON, default=list)
    target_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[GoalStatus] = mapped_column(
        sa.Enum(
            GoalStatus,
            native_enum=False,
            length=20,
            values_callable=lambda cls: [m.value for m in cls],
        ),
        default=GoalStatus.ACTIVE,
    )
    shared_team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    achieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship()
    shared_team = relationship("Team")

    @property
    def html(self):
        return stored(self.description_html)

    def can_view(self, user):
        return user.is_authenticated and (
            self.owner_id == user.id
            or (self.shared_team_id is not None and self.shared_team_id in user.team_ids())
        )

    def can_edit(self, user):
        return user.is_authenticated and self.owner_id == user.id

    def set_status(self, status):
        status = GoalStatus(status)
        if status == self.status:
            raise ValueError(f"This goal is already marked '{status.label}'")
        self.status = status
        self.achieved_at = utcnow() if status == GoalStatus.ACHIEVED else None
