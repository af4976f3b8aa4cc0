"""People, teams and who belongs where."""

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning_hub.core.database import UTCDateTime, utcnow
from learning_hub.core.extensions import db


class Role(enum.StrEnum):
    """A person's global role. Facilitation is per team, see MembershipRole."""

    STAFF = "staff"
    LEADER = "leader"
    ADMIN = "admin"

    @property
    def label(self):
        return self.value.capitalize()


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"

    @property
    def label(self):
        return self.value.capitalize()


def _enum_column(enum_cls, length=20):
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


FORMER_MEMBER = "Former member"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(_enum_column(Role), default=Role.STAFF)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on log-out, deactivation and password change: every cookie that
    # carries an older version stops working at once.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    # Bumped whenever the person's monthly self-check scores change (a check submitted,
    # their history erased): their own drift figures are remembered against it, so a
    # page knows they are current from this row alone (selfchecks.services.rollup_version).
    scores_version: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when an admin erased a departed person (see privacy.erasure.erase_person): the row
    # stays so their team contributions keep an author, shown as "Former member".
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    # Almost every page asks which teams the viewer is in: the user loader joins
    # them in. Other people (authors, owners) load without them.
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("role", Role.STAFF)
        kwargs.setdefault("is_active", True)
        kwargs.setdefault("session_version", 1)
        kwargs.setdefault("failed_login_count", 0)
        kwargs.setdefault("scores_version", 0)
        super().__init__(**kwargs)

    def __repr__(self):
        return f"<User {self.id} {self.role}>"

    def end_sessions(self):
        """Invalidate every session this person has open."""
        self.session_version += 1

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_erased(self):
        return self.erased_at is not None

    @property
    def public_name(self):
        """The name others see next to this person's contributions."""
        return FORMER_MEMBER if self.is_erased else self.display_name

    @property
    def has_password(self):
        return self.password_hash is not None

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_leader(self):
        return self.role == Role.LEADER

    def is_locked(self, now=None):
        return self.locked_until_at is not None and self.locked_until_at > (now or utcnow())

    def team_ids(self):
        return {m.team_id for m in self.memberships}

    def facilitated_team_ids(self):
        return {m.team_id for m in self.memberships if m.role == MembershipRole.FACILITATOR}

    def membership_in(self, team_id):
        return next((m for m in self.memberships if m.team_id == team_id), None)


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/London")
    # A gentle reminder cadence for self-checks, set by a facilitator (None: no reminder).
    selfcheck_cadence_weeks: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Team {self.id} {self.name}>"

    def can_view(self, user):
        return user.is_authenticated and self.id in user.team_ids()

    def can_facilitate(self, user):
        return user.is_authenticated and self.id in user.facilitated_team_ids()


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "team_id", name="uq_memberships_user_team"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(
        _enum_column(MembershipRole), default=MembershipRole.MEMBER
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship(back_populates="memberships", lazy="joined")

    @property
    def is_facilitator(self):
        return self.role == MembershipRole.FACILITATOR


class MembershipSpell(db.Model):
    """One stretch of time a person belonged to a team: what group figures are attributed by.

    A contribution counts for the teams its author was in when it was made (a self-check's
    scores when it was submitted, a reflection when it was written), so a later join or
    leave never changes a figure about the past. Spells are kept by the session as
    memberships come and go (``_spell_begins`` and ``_spell_ends``); a spell that began
    before records were kept has no start (the migration that brought spells in gave
    every membership of that day one, and the demo and generated organisations give
    their people one: they were in their teams before their history begins).
    """

    __tablename__ = "membership_spells"
    __table_args__ = (sa.Index("ix_membership_spells_team", "team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def covers(cls, moment):
        """The condition that a spell was running at ``moment`` (a column or a value)."""
        return sa.and_(
            sa.or_(cls.started_at.is_(None), cls.started_at <= moment),
            sa.or_(cls.ended_at.is_(None), cls.ended_at > moment),
        )


@sa.event.listens_for(Membership, "after_insert")
def _spell_begins(_mapper, connection, membership):
    connection.execute(
        sa.insert(MembershipSpell.__table__).values(
            user_id=membership.user_id, team_id=membership.team_id, started_at=utcnow()
        )
    )


@sa.event.listens_for(Membership, "after_delete")
def _spell_ends(_mapper, connection, membership):
    spells = MembershipSpell.__table__
    connection.execute(
        sa.update(spells)
        .where(
            spells.c.user_id == membership.user_id,
            spells.c.team_id == membership.team_id,
            spells.c.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )


def teams_at(connection, user_id, moment):
    """The ids of the teams ``user_id`` belonged to at ``moment``."""
    return connection.scalars(
        sa.select(MembershipSpell.team_id).where(
            MembershipSpell.user_id == user_id, MembershipSpell.covers(moment)
        )
    ).all()


def hash_token(token):
    """Invitation, password-reset and e-mail change tokens are stored only as their digest."""
    return hashlib.sha256(token.encode()).hexdigest()


class SingleUseLink:
    """A link that works once, until it expires or is revoked (invitations, password resets,
    e-mail changes)."""

    def is_usable(self, now=None):
        now = now or utcnow()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now

    def mark_used(self):
        if not self.is_usable():
            raise ValueError("This link has already been used or has expired")
        self.used_at = utcnow()


class Invitation(SingleUseLink, db.Model):
    """A single-use, expiring link where an invited person sets their password."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @classmethod
    def issue(cls, user, invited_by, ttl_hours):
        """A new invitation and its clear-text token (shown once, never stored)."""
        token = secrets.token_urlsafe(32)
        invitation = cls(
            user=user,
            token_hash=hash_token(token),
            invited_by_id=invited_by.id if invited_by else None,
            expires_at=utcnow() + timedelta(hours=ttl_hours),
        )
        return invitation, token


class PasswordReset(SingleUseLink, db.Model):
    """A single-use, expiring link, mailed to the person's own address, to choose a new
    password. Asking for one changes nothing; using one spends every other one."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user, ttl_minutes):
        """A new reset link and its clear-text token (mailed once, never stored)."""
        token = secrets.token_urlsafe(32)
        reset = cls(
            user=user,
            token_hash=hash_token(token),
            expires_at=utcnow() + timedelta(minutes=ttl_minutes),
        )
        return reset, token


class EmailChange(SingleUseLink, db.Model):
    """A new e-mail address waiting to be confirmed by a single-use, expiring link sent to it.

    Until the person opens the link (logged in as themselves) their address stays as it
    was, so a mistyped address, or one typed by someone at an unattended session, never
    becomes the address that password resets go to.
    """

    __tablename__ = "email_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user, new_email, ttl_hours):
        """A new pending change and its clear-text token (mailed once, never stored)."""
        token = secrets.token_urlsafe(32)
        change = cls(
            user=user,
            new_email=new_email,
            token_hash=hash_token(token),
            expires_at=utcnow() + timedelta(hours=ttl_hours),
        )
        return change, token
