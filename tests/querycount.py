"""Count the SQL statements a page issues, for the growth checks and the benchmark notes."""

import contextlib

from sqlalchemy import event

from learning_hub.auth.models import Membership, MembershipRole, Role, User
from learning_hub.cases.models import Case, CaseReflection
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection
from learning_hub.reviews.models import AgendaItem, CalendarFeed, ReviewSession
from learning_hub.selfchecks.models import CheckStatus, SelfCheck

LIMIT = 15
ROLES = ("staff", "facilitator", "leader", "admin")

# Pages whose statements aggregate over history; their plans are checked on PostgreSQL.
AGGREGATE_PAGES = {
    "home",
    "self-check profile",
    "team insights",
    "team fidelity",
    "team sessions",
    "case list",
    "case page",
    "case access history",
    "drift dashboard",
    "drift by principle",
    "drift of one team",
    "audit log",
}
LARGE_TABLES = (
    "participation_months",
    "self_checks",
    "self_check_answers",
    "period_scores",
    "cases",
    "timeline_entries",
    "case_reflections",
    "case_responses",
    "reflections",
    "reflection_responses",
    "review_sessions",
    "agenda_items",
    "actions",
    "audit_entries",
)
# Columns the pages filter or sort on (beyond foreign keys), as (table, leading columns).
FILTERED_COLUMNS = [
    ("audit_entries", ("created_at",)),
    ("audit_entries", ("action",)),
    ("audit_entries", ("object_type", "object_id", "created_at", "id")),
    ("reflections", ("shared_team_id", "shared_at")),
    ("reflections", ("author_id", "created_at")),
    ("reflection_responses", ("reflection_id", "created_at")),
    ("reflection_responses", ("author_id", "created_at")),
    ("self_checks", ("user_id", "status", "submitted_at")),
    ("self_checks", ("submitted_at",)),
    ("period_scores", ("user_id", "period_on")),
    ("period_scores", ("period_on", "principle")),
    ("participation_months", ("team_id", "month_on")),
    ("cases", ("team_id", "is_closed", "updated_at")),
    ("timeline_entries", ("case_id", "occurred_on")),
    ("case_reflections", ("case_id", "created_at")),
    ("case_responses", ("created_at",)),
    ("review_sessions", ("team_id", "starts_at")),
    ("agenda_items", ("session_id", "position")),
    ("agenda_items", ("raised_by_id", "created_at")),
    ("actions", ("owner_id", "done_at", "due_on")),
    ("actions", ("team_id", "done_at")),
]


@contextlib.contextmanager
def counting(engine, with_parameters=False):
    """Collect the statements ``engine`` runs inside the block (with their parameters)."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters) if with_parameters else statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _first(stmt):
    return db.session.scalar(stmt.limit(1))


def people():
    """A staff member with history, a facilitator, a leader and an admin in the database."""
    busiest = (
        db.select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == MembershipRole.MEMBER, User.is_active.is_(True))
        .order_by(Membership.team_id, Membership.user_id)
    )
    member = _first(busiest)
    facilitator = _first(
        db.select(Membership)
        .where(
            Membership.role == MembershipRole.FACILITATOR,
            Membership.team_id == member.team_id,
        )
        .order_by(Membership.user_id)
    )
    return {
        "staff": db.session.get(User, member.user_id),
        "facilitator": db.session.get(User, facilitator.user_id),
        "leader": _first(db.select(User).where(User.role == Role.LEADER).order_by(User.id)),
        "admin": _first(db.select(User).where(User.role == Role.ADMIN).order_by(User.id)),
        "team_id": member.team_id,
    }


def pages(who):
    """(viewer, name, url) for every key GET page, with objects of the viewer's team."""
    team_id = who["team_id"]
    staff = who["staff"]
    case = _first(db.select(Case).where(Case.team_id == team_id).order_by(Case.id))
    case_reflection = _first(
        db.select(CaseReflection).where(CaseReflection.case_id == case.id)
    ) or _first(
        db.select(CaseReflection)
        .join(Case, Case.id == CaseReflection.case_id)
        .where(Case.team_id == team_id)
    )
    session = _first(
        db.select(ReviewSession)
        .join(AgendaItem, AgendaItem.session_id == ReviewSession.id)
        .where(ReviewSession.team_id == team_id)
        .order_by(ReviewSession.starts_at.desc())
    )
    reflection = _first(
        db.select(Reflection)
        .where(Reflection.shared_team_id == team_id)
        .order_by(Reflection.id.desc())
    )
    check = _first(
        db.select(SelfCheck)
        .where(SelfCheck.user_id == staff.id, SelfCheck.status == CheckStatus.SUBMITTED)
        .order_by(SelfCheck.id.desc())
    )
    feed = _first(db.select(CalendarFeed).where(CalendarFeed.team_id == team_id))
    result = [
        ("staff", "home", "/"),
        ("staff", "module library", "/modules"),
        ("staff", "module page", "/modules/noticing-your-own-reactions"),
        ("staff", "my learning", "/learning"),
        ("staff", "self-check profile", "/selfcheck"),
        ("staff", "self-check", f"/selfcheck/{check.id}"),
        ("staff", "take a self-check", "/selfcheck/take"),
        ("staff", "team page", f"/teams/{team_id}"),
        ("staff", "team reflections", f"/teams/{team_id}/reflections"),
        ("staff", "a shared reflection", f"/reflections/{reflection.id}"),
        ("staff", "case list", f"/teams/{team_id}/cases"),
        ("staff", "case page", f"/cases/{case.id}"),
        ("staff", "case plan", f"/cases/{case.id}/plan"),
        ("staff", "team insights", f"/teams/{team_id}/insights"),
        ("staff", "team sessions", f"/teams/{team_id}/sessions"),
        ("staff", "review session", f"/sessions/{session.id}"),
        ("staff", "session summary", f"/sessions/{session.id}/summary"),
        ("staff", "account", "/account"),
        ("facilitator", "team fidelity", f"/teams/{team_id}/fidelity"),
        ("facilitator", "case access history", f"/cases/{case.id}/access"),
        ("leader", "drift dashboard", "/dashboard/drift"),
        ("leader", "drift by principle", "/dashboard/drift/principles/autonomy"),
        ("leader", "drift of one team", f"/dashboard/drift/teams/{team_id}"),
    ]
    if who["admin"] is not None:
        result += [
            ("admin", "people", "/admin/"),
            ("admin", "teams", "/admin/teams"),
            ("admin", "audit log", "/admin/audit"),
        ]
    if case_reflection:
        result.append(
            (
                "staff",
                "case reflection",
                f"/cases/{case_reflection.case_id}/reflections/{case_reflection.id}",
            )
        )
    if feed:
        result.append((None, "team calendar feed", f"/calendar/team/{feed.token}.ics"))
    return result
