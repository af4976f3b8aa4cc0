"""Participation depth kept as a monthly rollup, up to date on every write.

The leaders' dashboard shows, per team, how many people wrote something in a
range of months and how much: module reflections, peer responses, self-checks
submitted, agenda items raised, peer reflections on cases, responses to them and
actions completed. Counting those rows on every view costs as much as the
activity in the range, which grows with the organisation's history.
``participation_months`` holds one count per team, person, month and kind instead,
so the dashboard reads at most (people x months x kinds) small rows in one
statement, however many years of writing lie behind them.

**A contribution counts for the teams its author was in when it was made.** Writing
done in a team's own space (an agenda item in its session, an action it agreed, a
reflection on one of its cases) counts for that team. Writing of one's own (module
reflections, responses, self-checks) counts for every team the author belonged to
at that moment (``auth.models.MembershipSpell``). So a later join or leave changes
no figure about the past: a newcomer's earlier writing stays with the teams they
were in, and a leaver's stays with the team they left.

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

from learning_hub.auth.models import MembershipSpell, teams_at
from learning_hub.cases.models import Case, CaseReflection, CaseResponse
from learning_hub.core.disclosure import apart_enough
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection, ReflectionResponse
from learning_hub.reviews.models import Action, AgendaItem, ReviewSession
from learning_hub.selfchecks.drift import period_of
from learning_hub.selfchecks.models import CheckStatus, SelfCheck


class ParticipationMonth(db.Model):
    """How many rows of one kind one person wrote in one calendar month (UTC), as they
    count for one team."""

    __tablename__ = "participation_months"
    # Keyed team, month first: a team's months are one range of the key (on SQLite the
    # rows are kept in key order, so they are read from the table itself).
    __table_args__ = (
        sa.PrimaryKeyConstraint("team_id", "month_on", "user_id", "kind"),
        sa.Index("ix_participation_months_user", "user_id"),
        {"sqlite_with_rowid": False},
    )

    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    month_on: Mapped[date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(16))
    count: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class Kind:
    """One kind of writing that counts: whose it is, when it counts, whether it does, and
    for which team.

    ``team`` names the attribute that leads to the team whose space the row was written
    in, and ``team_of`` turns that attribute (a column, or a value) into the team's id
    as SQL; without them the row counts for the teams its author was in at ``when``.
    """

    name: str
    model: type
    person: str  # the attribute naming the person
    when: str  # the attribute whose month it counts in
    team: str | None = None
    team_of: object = None

    @property
    def fields(self):
        """The attributes that decide whether and where a row counts."""
        return (self.person, self.when) + ((self.team,) if self.team else ())

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


def _session_team(session_id):
    return sa.select(ReviewSession.team_id).where(ReviewSession.id == session_id)


def _case_team(case_id):
    return sa.select(Case.team_id).where(Case.id == case_id)


def _case_reflection_team(reflection_id):
    return (
        sa.select(Case.team_id)
        .join(CaseReflection, CaseReflection.case_id == Case.id)
        .where(CaseReflection.id == reflection_id)
    )


KINDS = (
    Kind("reflections", Reflection, "author_id", "created_at"),
    Kind("responses", ReflectionResponse, "author_id", "created_at"),
    SubmittedCheckKind("self_checks", SelfCheck, "user_id", "submitted_at"),
    Kind("agenda_items", AgendaItem, "raised_by_id", "created_at", "session_id", _session_team),
    Kind("case_reflections", CaseReflection, "author_id", "created_at", "case_id", _case_team),
    Kind(
        "case_responses",
        CaseResponse,
        "author_id",
        "created_at",
        "reflection_id",
        _case_reflection_team,
    ),
    # An action counts for its owner once it is done, in the month it was done.
    Kind("actions_done", Action, "owner_id", "done_at", "team_id", None),
)
KIND_NAMES = tuple(kind.name for kind in KINDS)
_KIND_OF = {kind.model: kind for kind in KINDS}


def _month(moment):
    """The UTC calendar month ``moment`` falls in, as the dashboard's ranges count it."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return period_of(moment)


def _keys(connection, kind, values):
    """The (team, person, month, kind) a row with these values counts under: one per
    team it counts for, none when it does not count."""
    if not kind.counts(values):
        return []
    if kind.team is None:
        teams = teams_at(connection, values[kind.person], values[kind.when])
    elif kind.team_of is None:
        teams = [values[kind.team]]
    else:
        teams = connection.scalars(kind.team_of(values[kind.team])).all()
    month = _month(values[kind.when])
    return [(team, values[kind.person], month, kind.name) for team in teams]


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


def _step(steps, keys, delta):
    for key in keys:
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
            _step(steps, _keys(session.connection(), kind, _committed(session, kind, row)), -1)
    for row in session.dirty:
        kind = _KIND_OF.get(type(row))
        if kind is None or row in session.deleted:
            continue
        before, after = _committed(session, kind, row), _current(kind, row)
        if before != after:
            _step(steps, _keys(session.connection(), kind, before), -1)
            _step(steps, _keys(session.connection(), kind, after), +1)


@sa.event.listens_for(AppSession, "after_flush")
def _after_flush(session, _flush_context):
    steps = session.info.pop(_PENDING, {})
    for row in session.new:
        kind = _KIND_OF.get(type(row))
        if kind is not None:
            _step(steps, _keys(session.connection(), kind, _current(kind, row)), +1)
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
        index_elements=[table.c.team_id, table.c.user_id, table.c.month_on, table.c.kind],
        set_={"count": table.c.count + insert.excluded.count},
    )


# ``count = count + :count`` for one (team, person, month, kind), creating the row as needed.
UPSERTS = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}


def add(connection, steps):
    """Add ``{(team id, person id, month, kind): delta}`` to the counts, creating rows as
    needed: one upsert per (team, person, month, kind)."""
    rows = [
        {"team_id": team_id, "user_id": user_id, "month_on": month, "kind": kind, "count": delta}
        for (team_id, user_id, month, kind), delta in sorted(steps.items())
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
    deletes (erasing a person), and a database restored or edited by hand. Each row
    counts for the team whose space it was written in, or for the teams its author's
    membership spells say they were in when they wrote it.
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
        when = getattr(kind.model, kind.when)
        month = month_of(when)
        if kind.team is None:
            team = MembershipSpell.team_id
        elif kind.team_of is None:
            team = getattr(kind.model, kind.team)
        else:
            team = kind.team_of(getattr(kind.model, kind.team)).scalar_subquery()
        counted = sa.select(
            team.label("team_id"),
            person,
            month,
            sa.literal(kind.name, sa.String(16)),
            sa.func.count(),
        ).where(*kind.where())
        if kind.team is None:
            counted = counted.join(
                MembershipSpell,
                sa.and_(MembershipSpell.user_id == person, MembershipSpell.covers(when)),
            )
        if user_ids is not None:
            counted = counted.where(person.in_(user_ids))
        counted = counted.group_by(team, person, month).having(team.is_not(None))
        connection.execute(
            sa.insert(table).from_select(
                ["team_id", "user_id", "month_on", "kind", "count"], counted
            )
        )


def team_totals(team_ids, first, last, min_size):
    """``{team id: {"active_people": n, "hidden": bool, kind: total, ...}}`` for the months
    from ``first`` to ``last`` (first days of months, both included).

    Each team's figures are what was attributed to it when it was written, so they do
    not move when people join or leave. A team whose active people differ from another
    shown team's by 1 to ``min_size - 1`` people is ``hidden`` (its figures minus the
    other's would describe those few: ``privacy.disclosure.apart_enough``), as is a team
    of fewer than ``min_size`` active people.

    One statement over the rollup, summed in SQL to one row per team and person.
    """
    table = ParticipationMonth.__table__
    empty = {"active_people": 0, "hidden": True, **dict.fromkeys(KIND_NAMES, 0)}
    totals = {team_id: dict(empty) for team_id in team_ids}
    if not team_ids:
        return totals
    rows = db.session.execute(
        sa.select(
            table.c.team_id,
            table.c.user_id,
            *(
                sa.func.sum(sa.case((table.c.kind == name, table.c.count), else_=0))
                for name in KIND_NAMES
            ),
        )
        .where(
            table.c.team_id.in_(team_ids),
            table.c.month_on >= first,
            table.c.month_on <= last,
            table.c.count > 0,
        )
        .group_by(table.c.team_id, table.c.user_id)
    )
    active = {team_id: set() for team_id in team_ids}
    for team_id, user_id, *sums in rows:
        active[team_id].add(user_id)
        team = totals[team_id]
        for name, total in zip(KIND_NAMES, sums, strict=True):
            team[name] += int(total)
    shown = apart_enough(active, min_size)
    for team_id, people in active.items():
        totals[team_id]["active_people"] = len(people)
        totals[team_id]["hidden"] = team_id not in shown
    return totals
