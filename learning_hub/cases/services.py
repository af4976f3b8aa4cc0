"""Cases: creating, recording contact, plans, reflections, rollups for insights, purge."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from learning_hub.auth.models import Membership, User
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


@dataclass
class Insights:
    cases: int
    with_spell: int
    spells: int
    spell_days: int
    in_spell: int
    triggers: list
    outcomes: list
    methods: list  # [(method, attempts, reached)]
    by_gender: list  # [(gender, cases, with_spell)] for groups large enough
    enough: bool

    def share(self, part, whole):
        return part / whole if whole else 0.0


def team_insights(team):
    """Aggregates over the team's cases, read from per-case rollups with GROUP BY queries.

    Cached for CACHE_DEFAULT_TIMEOUT seconds, so they may be that old.
    """
    return _team_insights(team.id)


@cache.memoize()
def _team_insights(team_id):
    min_group = current_app.config["MIN_GROUP_SIZE"]
    totals = db.session.execute(
        db.select(
            db.func.count(Case.id),
            db.func.sum(db.case((Case.spell_count > 0, 1), else_=0)),
            db.func.coalesce(db.func.sum(Case.spell_count), 0),
            db.func.coalesce(db.func.sum(Case.spell_days), 0),
            db.func.sum(db.case((Case.in_spell, 1), else_=0)),
        ).where(Case.team_id == team_id)
    ).one()
    cases, with_spell, spell_total, spell_days, in_spell = (int(v or 0) for v in totals)
    triggers = [
        tuple(row)
        for row in db.session.execute(
            db.select(Trigger.kind, db.func.count())
            .join(Case, Trigger.case_id == Case.id)
            .where(Case.team_id == team_id)
            .group_by(Trigger.kind)
            .order_by(db.func.count().desc())
        )
    ]
    tallies = db.session.execute(
        db.select(ContactTally.method, ContactTally.outcome, ContactTally.entries).where(
            ContactTally.team_id == team_id, ContactTally.entries > 0
        )
    ).all()
    outcomes, methods = Counter(), {}
    for method, outcome, entries in tallies:
        outcomes[outcome] += entries
        attempts, reached = methods.get(method, (0, 0))
        methods[method] = (
            attempts + entries,
            reached + (entries if outcome in (Outcome.ATTENDED, Outcome.REACHED) else 0),
        )
    genders = db.session.execute(
        db.select(
            Case.gender, db.func.count(), db.func.sum(db.case((Case.spell_count > 0, 1), else_=0))
        )
        .where(Case.team_id == team_id)
        .group_by(Case.gender)
    ).all()
    by_gender = [(g, n, int(s or 0)) for g, n, s in genders if n >= min_group]
    if len(by_gender) < 2:
        by_gender = []  # a comparison needs at least two groups large enough
    return Insights(
        cases=cases,
        with_spell=with_spell,
        spells=spell_total,
        spell_days=spell_days,
        in_spell=in_spell,
        triggers=triggers,
        outcomes=outcomes.most_common(),
        methods=sorted(
            ((m, n, r) for m, (n, r) in methods.items()), key=lambda row: (-row[1], row[0])
        ),
        by_gender=by_gender,
        enough=cases >= min_group,
    )
