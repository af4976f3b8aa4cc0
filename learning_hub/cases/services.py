"""Cases: creating, recording contact, plans, reflections, rollups for insights, purge."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import product

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from learning_hub.auth.models import Membership, Team, User
from learning_hub.cases import spells as spell_rule
from learning_hub.cases.models import (
    Case,
    CaseReflection,
    CaseResponse,
    ContactTally,
    EngagementPlan,
    Gender,
    Initiator,
    Method,
    Outcome,
    TimelineEntry,
    Trigger,
    TriggerKind,
)
from learning_hub.core import audit, markdown
from learning_hub.core.database import on_postgresql, read, utcnow
from learning_hub.core.disclosure import band, one_decimal, shown_parts
from learning_hub.core.extensions import cache, db
from learning_hub.core.pagination import Listing, paginate
from learning_hub.modules.services import RECENT_RESPONSES


def _unique_code():
    for _ in range(50):
        code = Case.new_code()
        if db.session.scalar(db.select(Case.id).where(Case.code == code)) is None:
            return code
    raise RuntimeError("Could not find a free case code")


def create_case(team, user, *, gender, age_band, context):
    """Open a case for ``team`` under a fresh random code."""
    case = Case(
        code=_unique_code(),
        team_id=team.id,
        gender=Gender(gender),
        age_band=age_band or None,
        context=context,
        context_html=str(markdown.render(context)),
        created_by_id=user.id,
        spell_count=0,
        spell_days=0,
        in_spell=False,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(case)
    db.session.flush()
    audit.record("case.created", case, actor=user)
    return case


def update_case(case, user, *, gender, age_band, context):
    case.gender, case.age_band = Gender(gender), age_band or None
    case.context, case.context_html = context, str(markdown.render(context))
    case.updated_at = utcnow()
    audit.record("case.updated", case, actor=user)


def record_entry(case, user, *, occurred_on, method, initiated_by, outcome, note):
    """Add a contact attempt or appointment to the timeline (failed ones count too)."""
    if case.is_closed:
        raise ValueError("Reopen the case before adding to its timeline")
    entry = TimelineEntry(
        case_id=case.id,
        occurred_on=occurred_on,
        method=Method(method),
        initiated_by=Initiator(initiated_by),
        outcome=Outcome(outcome),
        note=note,
        recorded_by_id=user.id,
    )
    db.session.add(entry)
    case.entries.append(entry)
    case.updated_at = utcnow()
    refresh_rollup(case)
    count_contacts(case.team_id, [(entry.method, entry.outcome, 1)])
    audit.record("case.entry_added", case, actor=user, detail=f"outcome={outcome}")
    return entry


def timeline_pairs(case):
    return [
        (e.occurred_on, e.outcome.value)
        for e in sorted(case.entries, key=lambda e: (e.occurred_on, e.id or 0))
    ]


def timeline_state(pairs, today):
    """``(spells, suggested pattern)`` of a timeline's ``(date, outcome)`` pairs on
    ``today``, from one pass: the case page and the rollup both read it from here."""
    config = current_app.config
    spells = spell_rule.find_spells(
        pairs,
        today,
        min_attempts=config["SPELL_MIN_ATTEMPTS"],
        min_days=config["SPELL_MIN_DAYS"],
    )
    return spells, spell_rule.suggest_pattern(pairs, spells)


def timeline_rows(case_id, today):
    """What the case page draws beside the case: ``(entries, triggers, spells, suggested)``.

    Two plain statements, so the case itself is not loaded again here.
    """
    entries = db.session.scalars(
        sa.select(TimelineEntry)
        .where(TimelineEntry.case_id == case_id)
        .order_by(TimelineEntry.occurred_on, TimelineEntry.id)
    ).all()
    triggers = db.session.scalars(
        sa.select(Trigger).where(Trigger.case_id == case_id).order_by(Trigger.id)
    ).all()
    pairs = [(e.occurred_on, e.outcome.value) for e in entries]
    return (entries, triggers, *timeline_state(pairs, today))


def refresh_rollup(case, today=None):
    """Keep the per-case figures that team insights aggregate (written on every change)."""
    today = today or date.today()
    found, case.pattern_suggested = timeline_state(timeline_pairs(case), today)
    case.spell_count = len(found)
    case.spell_days = sum(s.days(today) for s in found)
    case.in_spell = bool(found and found[-1].is_ongoing)


def confirm_pattern(case, user, pattern):
    case.pattern_confirmed = pattern or None
    case.updated_at = utcnow()
    audit.record("case.pattern_confirmed", case, actor=user, detail=f"pattern={pattern}")


def add_trigger(case, user, *, kind, description):
    trigger = Trigger(case_id=case.id, kind=TriggerKind(kind), description=description)
    db.session.add(trigger)
    case.triggers.append(trigger)
    case.updated_at = utcnow()
    audit.record("case.trigger_added", case, actor=user, detail=f"kind={kind}")
    return trigger


def save_plan(case, user, **fields):
    plan = case.plan or EngagementPlan(case_id=case.id)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.updated_at, plan.updated_by_id = utcnow(), user.id
    if case.plan is None:
        db.session.add(plan)
        case.plan = plan
    case.updated_at = utcnow()
    audit.record(
        "case.plan_saved",
        case,
        actor=user,
        detail="made with the person" if plan.made_with_person else "written for",
    )
    return plan


def write_reflection(case, user, *, identify, analyse, plan, feelings, other_feeling):
    reflection = CaseReflection(
        case_id=case.id,
        author_id=user.id,
        identify=identify,
        identify_html=str(markdown.render(identify)),
        analyse=analyse,
        analyse_html=str(markdown.render(analyse)),
        plan=plan,
        plan_html=str(markdown.render(plan)),
        feelings=list(feelings),
        other_feeling=other_feeling or "",
    )
    db.session.add(reflection)
    db.session.flush()
    audit.record("case.reflection_written", case, actor=user)
    return reflection


def respond(reflection, user, body):
    response = CaseResponse(
        reflection=reflection,
        author_id=user.id,
        reflection_author_id=reflection.author_id,
        body=body,
        body_html=str(markdown.render(body)),
    )
    db.session.add(response)
    db.session.flush()
    audit.record("case.response_written", reflection.case, actor=user)
    return response


_on_cases = (
    sa.select(
        CaseResponse.id,
        CaseResponse.reflection_id,
        CaseResponse.created_at,
        CaseReflection.case_id,
        Case.code.label("case_code"),
        User.display_name.label("author_name"),
    )
    .join(CaseReflection, CaseResponse.reflection_id == CaseReflection.id)
    .join(Case, CaseReflection.case_id == Case.id)
    # Only on cases of teams the person is still in (they cannot open the others).
    .join(
        Membership,
        (Membership.team_id == Case.team_id)
        & (Membership.user_id == CaseResponse.reflection_author_id),
    )
    .outerjoin(User, CaseResponse.author_id == User.id)
    .where(
        CaseResponse.reflection_author_id == sa.bindparam("user_id"),
        CaseResponse.author_id != sa.bindparam("user_id"),
    )
    .order_by(CaseResponse.created_at.desc())
    .limit(sa.bindparam("limit"))
    .subquery()
)
_on_modules = RECENT_RESPONSES.subquery()
# Teammates' latest responses to a person, on module and case reflections, in one
# statement of like rows (bound parameters ``user_id`` and ``limit``).
RESPONSES_TO = sa.union_all(
    sa.select(
        sa.literal(False).label("on_case"),
        _on_modules.c.id,
        _on_modules.c.reflection_id,
        _on_modules.c.created_at,
        sa.cast(sa.null(), sa.Integer).label("case_id"),
        sa.cast(sa.null(), sa.String).label("case_code"),
        _on_modules.c.author_name,
    ),
    sa.select(
        sa.literal(True),
        _on_cases.c.id,
        _on_cases.c.reflection_id,
        _on_cases.c.created_at,
        _on_cases.c.case_id,
        _on_cases.c.case_code,
        _on_cases.c.author_name,
    ),
)


def responses_to(user, limit=5):
    """``(on module reflections, on case reflections)``: teammates' latest responses to
    this person, each newest first and at most ``limit``, for the home page.

    Rows of just what the home page shows (not whole reflections and cases), both
    lists, each limited on its own, in one statement (``RESPONSES_TO``).
    """
    rows = read(RESPONSES_TO, {"user_id": user.id, "limit": limit}).all()
    newest_first = sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True)
    return (
        [row for row in newest_first if not row.on_case],
        [row for row in newest_first if row.on_case],
    )


def team_cases_page(team, page, *, status="open", pattern="", per_page=25):
    """Page ``page`` of a team's cases, most recently updated first, as rows of what
    the list shows."""
    stmt = sa.select(
        Case.id,
        Case.code,
        Case.is_closed,
        Case.gender,
        Case.age_band,
        Case.pattern_confirmed,
        Case.pattern_suggested,
        Case.in_spell,
        Case.updated_at,
    ).where(Case.team_id == team.id)
    if status in ("open", "closed"):
        stmt = stmt.where(Case.is_closed.is_(status == "closed"))
    if pattern:
        confirmed_or_suggested = sa.func.coalesce(Case.pattern_confirmed, Case.pattern_suggested)
        stmt = stmt.where(confirmed_or_suggested == pattern)
    stmt = stmt.order_by(Case.updated_at.desc(), Case.id.desc())
    return paginate(stmt, page, per_page, rows=True)


# The latest audit entries about a case (bound parameters ``case_id`` and ``limit``).
RECENT_ACCESS = (
    sa.select(
        audit.AuditEntry.created_at,
        audit.AuditEntry.action,
        User.display_name.label("actor_name"),
    )
    .outerjoin(User, audit.AuditEntry.actor_id == User.id)
    .where(
        audit.AuditEntry.object_type == Case.__tablename__,
        audit.AuditEntry.object_id == sa.bindparam("case_id"),
    )
    .order_by(audit.AuditEntry.created_at.desc(), audit.AuditEntry.id.desc())
    .limit(sa.bindparam("limit"))
)


def recent_access(case, limit=8):
    """The latest audit entries about ``case``, newest first (the case page's footer):
    rows of when, what and who."""
    return read(RECENT_ACCESS, {"case_id": case.id, "limit": limit}).all()


def access_history_page(case, page, per_page=50):
    """Page ``page`` of the audit entries about ``case``, newest first."""
    entry = audit.AuditEntry
    return paginate(
        sa.select(entry)
        .where(entry.object_type == Case.__tablename__, entry.object_id == case.id)
        .options(joinedload(entry.actor))
        .order_by(entry.created_at.desc(), entry.id.desc()),
        page,
        per_page,
    )


# The peer reflections on a case, newest first, as rows of what the case page shows of
# each, with the number of responses to it (bound parameter ``case_id``).
CASE_REFLECTIONS = Listing(
    sa.select(
        CaseReflection.id,
        CaseReflection.created_at,
        CaseReflection.feelings,
        CaseReflection.other_feeling,
        CaseReflection.identify_html,
        User.display_name.label("author_name"),
        sa.select(sa.func.count(CaseResponse.id))
        .where(CaseResponse.reflection_id == CaseReflection.id)
        .correlate(CaseReflection)
        .scalar_subquery()
        .label("responses"),
    )
    .outerjoin(User, CaseReflection.author_id == User.id)
    .where(CaseReflection.case_id == sa.bindparam("case_id"))
    .order_by(CaseReflection.created_at.desc(), CaseReflection.id.desc())
)


def case_reflections_page(case, page, per_page):
    """Page ``page`` of the peer reflections on ``case``, newest first, as rows of what
    the case page shows of each: who, when, what it stirs, the stored HTML of its first
    part and the number of responses to it, counted in the same statement."""
    return paginate(CASE_REFLECTIONS, page, per_page, params={"case_id": case.id}, rows=True)


def export_case(case):
    """Everything recorded on the case, as plain data (it is anonymised by construction)."""
    return {
        "code": case.code,
        "team": case.team.name,
        "gender": case.gender.value,
        "age_band": case.age_band,
        "context": case.context,
        "pattern_suggested": case.pattern_suggested,
        "pattern_confirmed": case.pattern_confirmed.value if case.pattern_confirmed else None,
        "closed": case.is_closed,
        "timeline": [
            {
                "date": e.occurred_on.isoformat(),
                "method": e.method.value,
                "initiated_by": e.initiated_by.value,
                "outcome": e.outcome.value,
                "note": e.note,
            }
            for e in case.entries
        ],
        "triggers": [{"kind": t.kind.value, "description": t.description} for t in case.triggers],
        "plan": None
        if case.plan is None
        else {
            "made_with_person": case.plan.made_with_person,
            "preferred_times": case.plan.preferred_times,
            "preferred_methods": case.plan.preferred_methods,
            "others_may_contact": case.plan.others_may_contact,
            "during_disengagement": case.plan.during_disengagement,
            "reminders": case.plan.reminders,
            "agreed_on": case.plan.agreed_on.isoformat(),
            "review_on": case.plan.review_on.isoformat() if case.plan.review_on else None,
        },
        "reflections": [
            {
                "identify": r.identify,
                "analyse": r.analyse,
                "plan": r.plan,
                "feelings": r.feelings,
                "responses": [x.body for x in r.responses],
            }
            for r in case.reflections
        ],
    }


def purge_case(case, admin, reason):
    """Delete a case and everything on it for good; the purge itself stays in the audit log."""
    audit.record("case.purged", case, actor=admin, detail=f"{case.code}: {reason}"[:500])
    entries = db.session.execute(
        db.select(TimelineEntry.method, TimelineEntry.outcome, db.func.count())
        .where(TimelineEntry.case_id == case.id)
        .group_by(TimelineEntry.method, TimelineEntry.outcome)
    ).all()
    count_contacts(case.team_id, [(method, outcome, -n) for method, outcome, n in entries])
    db.session.delete(case)


def count_contacts(team_id, changes):
    """Add ``(method, outcome, delta)`` changes to the team's contact tallies (an upsert)."""
    insert = postgresql.insert if on_postgresql() else sqlite.insert
    table = ContactTally.__table__
    for method, outcome, delta in changes:
        stmt = insert(table).values(
            team_id=team_id, method=Method(method), outcome=Outcome(outcome), entries=delta
        )
        db.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.team_id, table.c.method, table.c.outcome],
                set_={"entries": table.c.entries + stmt.excluded.entries},
            )
        )


def rebuild_contact_tallies():
    """Recount every team's tallies from the timeline (after bulk loads or a repair)."""
    db.session.execute(db.delete(ContactTally))
    db.session.execute(
        db.insert(ContactTally).from_select(
            ["team_id", "method", "outcome", "entries"],
            db.select(Case.team_id, TimelineEntry.method, TimelineEntry.outcome, db.func.count())
            .join(Case, TimelineEntry.case_id == Case.id)
            .group_by(Case.team_id, TimelineEntry.method, TimelineEntry.outcome),
        )
    )


ALL = "all"  # a table's margin: the sum over every value of one of its dimensions
SPELLED, NO_SPELL = "spelled", "no spell"
REACHED, NOT_REACHED = "reached", "not reached"
# Spell lengths' median and middle half are shown only from this many cases with a
# spell: from three or four values the median and quartiles give the values themselves.
MIN_SPREAD_CASES = 10


def _with_margins(cells, dims):
    """A table of counts with every margin: ``cells`` maps tuples of ``dims`` coordinates
    to counts; the result also holds each sum over any of the coordinates, with ALL in
    their place."""
    table = Counter()
    for key, n in cells.items():
        for mask in product((False, True), repeat=dims):
            table[tuple(ALL if m else k for k, m in zip(key, mask, strict=True))] += n
    return table


# Stands in a line for its total once the total is hidden: the total and its parts are
# then members of one sum, of which no single one may be left hidden alone.
_HIDDEN_TOTAL = "hidden total"


def _as_hidden(size, min_size, is_hidden):
    """A part's size as ``shown_parts`` is to see it: a part already hidden goes in below
    the minimum (its own size if smaller), so it stays hidden there and counts towards
    what the hidden parts add up to; an empty one (a hidden team's) goes in as it is."""
    if not is_hidden or size == 0:
        return size
    return max(1, min(size, min_size - 1))


def _suppressed(table, dims, min_size, forced=()):
    """The cells of ``table`` (with margins, from ``_with_margins``) that must be hidden.

    Every line of the table (one dimension varying, the others fixed, with its margin as
    the total) is a breakdown whose parts add up to its total, so ``shown_parts`` is
    applied to each line in turn, with what other lines hid kept hidden, until no line
    hides anything more. A hidden cell goes to ``shown_parts`` below the minimum, so it
    stays hidden there; a hidden total goes in as one more hidden part, so a total
    hidden by another line cannot be had by adding up its shown parts. The cells
    chosen depend on the order the lines are taken in; of the orders tried, the one that
    hides fewest is kept. ``forced`` cells are hidden from the start.
    """
    lines = defaultdict(list)
    for key in table:
        for d in range(dims):
            if key[d] != ALL:
                lines[d, key[:d] + (ALL,) + key[d + 1 :]].append(key)
    finest_first = sorted(lines, key=lambda line: (line[1].count(ALL), str(line)))
    start = {key for key, n in table.items() if 0 < n < min_size} | set(forced)
    return min(
        (_suppress_lines(table, lines, order, start, min_size) for order in _orders(finest_first)),
        key=len,
    )


def _orders(lines):
    """The orders lines are tried in: finest first, and coarsest (the organisation's) first.
    Which order hides fewer cells depends on the table, so both are tried."""
    return lines, lines[::-1]


def _suppress_lines(table, lines, order, hidden, min_size):
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for line in order:
            total, parts = line[1], lines[line]
            sizes = {key: _as_hidden(table[key], min_size, key in hidden) for key in parts}
            if total in hidden:
                sizes[_HIDDEN_TOTAL] = _as_hidden(table[total], min_size, True)
            shown = shown_parts(sizes, min_size)
            now = {key for key in parts if key not in shown}
            if not shown.total_shown:
                now.add(total)
            if now - hidden:
                hidden |= now
                changed = True
    return frozenset(hidden)


def _suppressed_with_teams(table, dims, min_size, teams_hidden=frozenset(), *, grow=True):
    """``_suppressed`` for a table whose first dimension is the team (ALL: the organisation),
    with every cell of a team in ``teams_hidden`` hidden, as the team's figures are not
    shown at all. (An empty cell of a hidden team counts as the 0 it is: conservative, as
    the hidden parts beside it then add up to less.) With ``grow``, a team whose total the
    suppression hides joins them, until no more do. Returns (hidden cells, hidden teams)."""
    teams_hidden = set(teams_hidden)
    while True:
        forced = {key for key in table if key[0] in teams_hidden}
        hidden = _suppressed(table, dims, min_size, forced)
        whole = (ALL,) * (dims - 1)
        now = {key[0] for key in hidden if key[1:] == whole} if grow else set()
        if now <= teams_hidden:
            return hidden, frozenset(teams_hidden)
        teams_hidden |= now


def _share(part, whole):
    return part / whole if whole else 0.0


@dataclass
class Insights:
    """A team's case figures as they may be shown: a hidden figure is None."""

    cases: int
    with_spell: int | None
    without_spell: int | None
    spells_mean_days: str | None  # to one decimal
    spell_cases_band: str | None  # the cases the mean is built from, as a band
    in_spell: int | None
    triggers: list  # [(kind, triggers recorded or None)]
    outcomes: list  # [(outcome, entries or None)]
    methods: list  # [(method, attempts or None, reached or None)]
    by_gender: list  # [(gender, cases as a band or None, share with a spell or None)]
    enough: bool

    def share(self, part, whole):
        return _share(part, whole)

    @property
    def spell_share(self):
        if self.with_spell is None:
            return None
        return _share(self.with_spell, self.cases)

    @property
    def method_shares(self):
        """[(method, share of entries that reached the person)] for the shares shown."""
        return [
            (method, _share(reached, attempts))
            for method, attempts, reached in self.methods
            if attempts is not None and reached is not None
        ]


def team_insights(team):
    """Aggregates over the team's cases, read from per-case rollups with GROUP BY queries,
    under the disclosure rules: no figure below MIN_GROUP_SIZE cases (or entries) is shown,
    nor one that the shown figures would give by subtraction.

    Cached for CACHE_DEFAULT_TIMEOUT seconds, so they may be that old.
    """
    return _team_insights(team.id)


def _spell_cells(rows):
    """Cells ``(..., SPELLED or NO_SPELL)`` from rows ``(*coordinates, spelled, count)``."""
    cells = Counter()
    for *coordinates, spelled, n in rows:
        cells[(*coordinates, SPELLED if spelled else NO_SPELL)] += n
    return cells


def _shown(table, hidden, key):
    return None if key in hidden else table[key]


def _suppressed_with_outcomes(reach, outcomes, min_size):
    """Hidden cells of the entries by method and reach (with margins), and hidden outcomes.

    The outcomes that reach the person add up to all entries that did, as the methods'
    reached entries do, and likewise for the rest; so each group of outcomes is a line
    whose total is the reach table's margin, and a total hidden for the outcomes' sake is
    hidden in the reach table too, until neither hides more.
    """
    forced = set()
    while True:
        hidden = _suppressed(reach, 2, min_size, forced)
        outcomes_hidden = set()
        for kind in (REACHED, NOT_REACHED):
            group = {o: n for o, n in outcomes.items() if o.is_contact == (kind == REACHED)}
            sizes = dict(group)
            if (ALL, kind) in hidden:
                sizes[_HIDDEN_TOTAL] = _as_hidden(reach[ALL, kind], min_size, True)
            shown = shown_parts(sizes, min_size)
            outcomes_hidden |= set(group) - shown.shown
            if not shown.total_shown and (ALL, kind) not in hidden:
                forced.add((ALL, kind))
        if forced <= hidden:
            return hidden, frozenset(outcomes_hidden)


@cache.memoize()
def _team_insights(team_id):
    min_group = current_app.config["MIN_GROUP_SIZE"]
    has_spell = Case.spell_count > 0
    cases_by = db.session.execute(
        db.select(
            Case.gender,
            has_spell,
            db.func.count(),
            db.func.coalesce(db.func.sum(Case.spell_count), 0),
            db.func.coalesce(db.func.sum(Case.spell_days), 0),
            db.func.sum(db.case((Case.in_spell, 1), else_=0)),
        )
        .where(Case.team_id == team_id)
        .group_by(Case.gender, has_spell)
    ).all()
    cases = sum(row[2] for row in cases_by)
    spell_total = sum(int(row[3]) for row in cases_by)
    spell_days = sum(int(row[4]) for row in cases_by)
    in_spell = sum(int(row[5] or 0) for row in cases_by)
    genders = _with_margins(_spell_cells((g, s, n) for g, s, n, *_ in cases_by), 2)
    gender_hidden = _suppressed(genders, 2, min_group)
    now = {"now": in_spell, "not now": cases - in_spell}
    in_spell_shown = "now" in shown_parts(now, min_group)

    trigger_rows = db.session.execute(
        db.select(Trigger.kind, db.func.count(), db.func.count(db.distinct(Trigger.case_id)))
        .join(Case, Trigger.case_id == Case.id)
        .where(Case.team_id == team_id)
        .group_by(Trigger.kind)
        .order_by(db.func.count().desc(), Trigger.kind)
    ).all()
    # A kind is built from the cases it was recorded on, however many triggers each has.
    kinds_shown = shown_parts({kind: on_cases for kind, _, on_cases in trigger_rows}, min_group)

    tallies = db.session.execute(
        db.select(ContactTally.method, ContactTally.outcome, ContactTally.entries).where(
            ContactTally.team_id == team_id, ContactTally.entries > 0
        )
    ).all()
    outcomes, reach = Counter(), Counter()
    for method, outcome, entries in tallies:
        outcomes[outcome] += entries
        reach[method, REACHED if outcome.is_contact else NOT_REACHED] += entries
    reach = _with_margins(reach, 2)
    reach_hidden, outcomes_hidden = _suppressed_with_outcomes(reach, outcomes, min_group)
    methods = sorted(
        {method for method, _ in reach if method != ALL},
        key=lambda m: (-reach[m, ALL], m),
    )

    by_gender = []
    for gender in sorted({g for g, _ in genders if g != ALL}, key=lambda g: (-genders[g, ALL], g)):
        n = _shown(genders, gender_hidden, (gender, ALL))
        spelled = _shown(genders, gender_hidden, (gender, SPELLED))
        share = None
        if n is not None and spelled is not None and (gender, NO_SPELL) not in gender_hidden:
            share = _share(spelled, n)
        by_gender.append((gender, None if n is None else band(n, min_group), share))
    if len(by_gender) < 2:
        by_gender = []  # a comparison needs at least two groups

    with_spell = _shown(genders, gender_hidden, (ALL, SPELLED))
    spells_shown = with_spell is not None and with_spell >= min_group
    return Insights(
        cases=cases,
        with_spell=with_spell,
        without_spell=_shown(genders, gender_hidden, (ALL, NO_SPELL)),
        spells_mean_days=one_decimal(spell_days / spell_total) if spells_shown else None,
        spell_cases_band=band(with_spell, min_group) if spells_shown else None,
        in_spell=in_spell if in_spell_shown else None,
        triggers=[(kind, n if kind in kinds_shown else None) for kind, n, _ in trigger_rows],
        outcomes=[(o, None if o in outcomes_hidden else n) for o, n in outcomes.most_common()],
        methods=[
            (
                m,
                _shown(reach, reach_hidden, (m, ALL)),
                _shown(reach, reach_hidden, (m, REACHED)),
            )
            for m in methods
        ],
        by_gender=by_gender,
        enough=cases >= min_group,
    )


@dataclass
class EngagementRow:
    """One line of the leaders' engagement insights (a team, or all teams): None is hidden."""

    name: str
    cases_band: str | None
    spell_share: float | None
    spell_median: str | None  # days, to one decimal
    spell_middle: tuple | None  # (first quartile, third quartile), days to one decimal
    methods: dict  # {method: share of entries reaching the person, or None}
    genders: dict  # {gender: (cases as a band, share with a spell), None hidden, () none}

    @property
    def is_hidden(self):
        return self.cases_band is None


@dataclass
class EngagementInsights:
    everyone: EngagementRow | None  # None: no cases recorded yet
    teams: list  # [EngagementRow], by team name
    methods: list  # the methods in use, most used first
    genders: list  # the genders recorded, largest group first


def engagement_insights():
    """Leaders' cross-team figures on engagement, under the disclosure rules.

    For the organisation and for each team with cases: the share of cases with a spell
    of disengagement, the median and middle half of spell lengths, the share of entries
    reaching the person by contact method, and the share with a spell by gender. Each
    is read from the per-case rollups and the contact tallies in one GROUP BY statement.
    Cases by team, gender and spell form one table and entries by team, method and
    reach another; every line of each (a team's genders, the teams' totals that make the
    organisation's, ...) is suppressed with ``shown_parts``, and a team hidden in the
    first is hidden in the second. Counts beside shares are bands. Cached for
    CACHE_DEFAULT_TIMEOUT seconds.
    """
    return _engagement_insights()


def _quartiles(histogram):
    """(first quartile, median, third quartile) of the values counted in ``histogram``."""
    values = sorted(value for value, n in histogram.items() for _ in range(n))
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


@cache.memoize()
def _engagement_insights():
    min_group = current_app.config["MIN_GROUP_SIZE"]
    has_spell = Case.spell_count > 0
    rows = db.session.execute(
        db.select(Team.id, Team.name, Case.gender, has_spell, db.func.count())
        .join(Team, Case.team_id == Team.id)
        .group_by(Team.id, Team.name, Case.gender, has_spell)
    ).all()
    names = {team_id: name for team_id, name, *_ in rows}
    cases = _with_margins(_spell_cells((t, g, s, n) for t, _, g, s, n in rows), 3)
    cases_hidden, teams_hidden = _suppressed_with_teams(cases, 3, min_group)

    per_case_days = Case.spell_days // Case.spell_count
    lengths = defaultdict(Counter)
    for team_id, days, n in db.session.execute(
        db.select(Case.team_id, per_case_days, db.func.count())
        .where(Case.spell_count > 0)
        .group_by(Case.team_id, per_case_days)
    ):
        lengths[team_id][int(days)] += n
        lengths[ALL][int(days)] += n

    reached = ContactTally.outcome.in_([Outcome.ATTENDED, Outcome.REACHED])
    reach = Counter()
    for team_id, method, is_reached, entries in db.session.execute(
        db.select(
            ContactTally.team_id, ContactTally.method, reached, db.func.sum(ContactTally.entries)
        )
        .where(ContactTally.entries > 0)
        .group_by(ContactTally.team_id, ContactTally.method, reached)
    ):
        reach[team_id, method, REACHED if is_reached else NOT_REACHED] += int(entries)
    reach = _with_margins(reach, 3)
    reach_hidden, _ = _suppressed_with_teams(reach, 3, min_group, teams_hidden, grow=False)

    methods = sorted({m for _, m, _ in reach if m != ALL}, key=lambda m: (-reach[ALL, m, ALL], m))
    genders = sorted({g for _, g, _ in cases if g != ALL}, key=lambda g: (-cases[ALL, g, ALL], g))

    def share_of(table, hidden, line, kinds=(SPELLED, NO_SPELL)):
        """The share of ``line``'s total in its first kind, or None if any part is hidden."""
        part, other, total = (line + (kind,) for kind in (*kinds, ALL))
        if {part, other, total} & hidden:
            return None
        return _share(table[part], table[total])

    def row(team_id, name):
        if team_id in teams_hidden:
            return EngagementRow(name, None, None, None, None, dict.fromkeys(methods), {})
        with_spell = cases[team_id, ALL, SPELLED]
        median = middle = None
        if (team_id, ALL, SPELLED) not in cases_hidden and with_spell >= max(
            MIN_SPREAD_CASES, min_group
        ):
            q1, q2, q3 = _quartiles(lengths[team_id])
            median, middle = one_decimal(q2), (one_decimal(q1), one_decimal(q3))
        by_gender = {}
        for gender in genders:
            n = cases[team_id, gender, ALL]
            if n == 0:
                by_gender[gender] = ()
            elif (team_id, gender, ALL) in cases_hidden:
                by_gender[gender] = None
            else:
                by_gender[gender] = (
                    band(n, min_group),
                    share_of(cases, cases_hidden, (team_id, gender)),
                )
        return EngagementRow(
            name=name,
            cases_band=band(cases[team_id, ALL, ALL], min_group),
            spell_share=share_of(cases, cases_hidden, (team_id, ALL)),
            spell_median=median,
            spell_middle=middle,
            methods={
                m: share_of(reach, reach_hidden, (team_id, m), (REACHED, NOT_REACHED))
                for m in methods
            },
            genders=by_gender,
        )

    return EngagementInsights(
        everyone=row(ALL, "All teams") if names else None,
        teams=[row(t, name) for t, name in sorted(names.items(), key=lambda item: item[1])],
        methods=methods,
        genders=genders,
    )
