"""Participation depth kept as a monthly rollup, up to date on every write.

The leaders' dashboard shows, per team, how many people wrote something in a
range of months and how much: reflections, peer responses, self-checks
submitted and agenda items raised. Counting those rows on every view costs as
much as the activity in the range, which grows with the organisation's history.
``participation_months`` holds one count per person, month and kind instead, so
the dashboard reads at most (people x months x kinds) small rows in one statement,
however many years of writing lie behind them.

It is kept by the session itself (``_before_flush`` and ``_after_flush``): every
row of a counted kind that a flush inserts, deletes or moves to another person or
month adds or takes one from its count, in the same transaction, as
``count = count + delta`` so two writers never lose each other's step. Writes
that go around the session (bulk deletes, bulk inserts) call ``rebuild`` for the
people they touched, which recounts them from the source rows.

Months are calendar months in UTC, as the dashboard's ranges are.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement

from learning_hub.auth.models import Membership
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection, ReflectionResponse
from learning_hub.reviews.models import AgendaItem
from learning_hub.selfchecks.drift import period_of
from learning_hub.selfchecks.models import CheckStatus, SelfCheck


class ParticipationMonth(db.Model):
    """How many rows of one kind one person wrote in one calendar month (UTC)."""

    __tablename__ = "participation_months"
    # On SQLite the rows are kept in primary key order, so a person's months are read
    # from one range of the table rather than through an index and back to each row.
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    month_on: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class Kind:
    """One kind of writing that counts: whose it is, when it counts, and whether it does."""

    name: str
    model: type
    person: str  # the attribute naming the person
    when: str  # the attribute whose month it counts in

    @property
    def fields(self):
        """The attributes that decide whether and where a row counts."""
        return (self.person, self.when)

    def counts(self, values):
        """Whether a row with these attribute values counts at all."""
        return values[self.person] is not None and values[self.when] is not None

    def where(self):
        """The same rule as a condition on the source table."""
        return (
            getattr(self.model, self.person).is_not(None),
            getattr(self.model, self.when).is_not(None),
        )


class SubmittedCheckKind(Kind):
    """Self-checks count once submitted; a draft is nobody's participation yet."""

    @property
    def fields(self):
        return (*super().fields, "status")

    def counts(self, values):
        return super().counts(values) and values["status"] == CheckStatus.SUBMITTED

    def where(self):
        return (*super().where(), SelfCheck.status == CheckStatus.SUBMITTED)


KINDS = (
    Kind("reflections", Reflection, "author_id", "created_at"),
    Kind("responses", ReflectionResponse, "author_id", "created_at"),
    SubmittedCheckKind("self_checks", SelfCheck, "user_id", "submitted_at"),
    Kind("agenda_items", AgendaItem, "raised_by_id", "created_at"),
)
KIND_NAMES = tuple(kind.name for kind in KINDS)
_KIND_OF = {kind.model: kind for kind in KINDS}


def _month(moment):
    """The UTC calendar month ``moment`` falls in, as the dashboard's ranges count it."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return period_of(moment)


def _key(kind, values):
    """(person, month, kind) a row with these values counts under, or None."""
    if not kind.counts(values):
        return None
    return (values[kind.person], _month(values[kind.when]), kind.name)


def _current(kind, row):
    return {name: getattr(row, name) for name in kind.fields}


def _committed(session, kind, row):
    """The values the database holds for ``row`` before this flush."""
    state = sa.inspect(row)
    names = kind.fields
    values = {}
    for name in names:
        history = state.attrs[name].history
        if history.deleted:
            values[name] = history.deleted[0]
        elif history.unchanged:
            values[name] = history.unchanged[0]
        elif history.added:
            # Set while expired (after a commit): the old value was never loaded, so it is
            # read from the row, which the flush has not changed yet.
            columns = [getattr(kind.model, n) for n in names]
            key = state.mapper.primary_key[0] == state.identity[0]
            found = session.connection().execute(sa.select(*columns).where(key)).one()
            return dict(zip(names, found, strict=True))
        else:  # neither loaded nor changed: load it as it stands
            values[name] = getattr(row, name)
    return values


_PENDING = "participation_steps"


def _step(steps, key, delta):
    if key is not None:
        steps[key] = steps.get(key, 0) + delta


@sa.event.listens_for(AppSession, "before_flush")
def _before_flush(session, _flush_context, _instances):
    """Note what deleted and changed rows counted under before this flush.

    Read now, while every deleted row can still be loaded; new rows wait for
    ``_after_flush``, which sees the times their defaults were given.
    """
    steps = session.info.setdefault(_PENDING, {})
    for row in session.deleted:
        kind = _KIND_OF.get(type(row))
        if kind is not None:
            _step(steps, _key(kind, _committed(session, kind, row)), -1)
    for row in session.dirty:
        kind = _KIND_OF.get(type(row))
        if kind is None or row in session.deleted:
            continue
        before = _key(kind, _committed(session, kind, row))
        after = _key(kind, _current(kind, row))
        if before != after:
            _step(steps, before, -1)
            _step(steps, after, +1)


@sa.event.listens_for(AppSession, "after_flush")
def _after_flush(session, _flush_context):
    steps = session.info.pop(_PENDING, {})
    for row in session.new:
        kind = _KIND_OF.get(type(row))
        if kind is not None:
            _step(steps, _key(kind, _current(kind, row)), +1)
    steps = {key: delta for key, delta in steps.items() if delta}
    if steps:
        add(session.connection(), steps)


@sa.event.listens_for(AppSession, "after_soft_rollback")
def _forget_steps(session, _previous_transaction):
    # Steps noted before a flush that failed: that flush wrote nothing.
    session.info.pop(_PENDING, None)


def _upsert(dialect):
    table = ParticipationMonth.__table__
    insert = dialect.insert(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.month_on, table.c.kind],
        set_={"count": table.c.count + insert.excluded.count},
    )


# ``count = count + :count`` for one (person, month, kind), creating the row as needed.
UPSERTS = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}


def add(connection, steps):
    """Add ``{(person id, month, kind): delta}`` to the counts, creating rows as needed:
    one upsert per (person, month, kind)."""
    rows = [
        {"user_id": user_id, "month_on": month, "kind": kind, "count": delta}
        for (user_id, month, kind), delta in sorted(steps.items())
    ]
    connection.execute(UPSERTS[connection.dialect.name], rows[0] if len(rows) == 1 else rows)


class month_of(FunctionElement):  # noqa: N801 (a SQL function, named as one)
    """The first day of the calendar month (UTC) of a timestamp column, as a date."""

    type = sa.Date()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    # SQLite keeps the naive UTC time (``UTCDateTime``); the result is the ISO date text
    # that the Date type reads back.
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_of, "postgresql")
def _month_of_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('month', {column} AT TIME ZONE 'UTC') AS DATE)"


def rebuild(connection, user_ids=None):
    """Recount the rollup from the source rows: everyone's, or only ``user_ids``'.

    For writes that go around the session: bulk inserts (``seed-scale``), bulk
    deletes (erasing a person), and a database restored or edited by hand.
    """
    table = ParticipationMonth.__table__
    if user_ids is not None:
        user_ids = sorted(set(user_ids))
        if not user_ids:
            return
    delete = sa.delete(table)
    if user_ids is not None:
        delete = delete.where(table.c.user_id.in_(user_ids))
    connection.execute(delete)
    for kind in KINDS:
        person = getattr(kind.model, kind.person)
        month = month_of(getattr(kind.model, kind.when))
        counted = sa.select(person, month, sa.literal(kind.name, sa.String(16)), sa.func.count())
        counted = counted.where(*kind.where())
        if user_ids is not None:
            counted = counted.where(person.in_(user_ids))
        counted = counted.group_by(person, month)
        connection.execute(
            sa.insert(table).from_select(["user_id", "month_on", "kind", "count"], counted)
        )


def team_totals(team_ids, first, last):
    """``{team id: {"active_people": n, kind: total, ...}}`` for the months from ``first``
    to ``last`` (first days of months, both included), over the teams' current members.

    One statement over the rollup, summed in SQL to one row per team: per person first
    (each kind's total, and whether they wrote anything at all), then per team.
    """
    table = ParticipationMonth.__table__
    totals = {team_id: dict.fromkeys(("active_people", *KIND_NAMES), 0) for team_id in team_ids}
    if not team_ids:
        return totals
    per_person = (
        sa.select(
            Membership.team_id,
            *(
                sa.func.sum(sa.case((table.c.kind == name, table.c.count), else_=0)).label(name)
                for name in KIND_NAMES
            ),
        )
        .join(Membership, Membership.user_id == table.c.user_id)
        .where(
            Membership.team_id.in_(team_ids),
            table.c.month_on >= first,
            table.c.month_on <= last,
            table.c.count > 0,
        )
        .group_by(Membership.team_id, table.c.user_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            per_person.c.team_id,
            sa.func.count(),
            *(sa.func.sum(per_person.c[name]) for name in KIND_NAMES),
        ).group_by(per_person.c.team_id)
    )
    for team_id, people, *sums in rows:
        totals[team_id] = {
            "active_people": people,
            **{name: int(total) for name, total in zip(KIND_NAMES, sums, strict=True)},
        }
    return totals
