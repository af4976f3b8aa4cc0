"""Taking self-checks, keeping the period rollup, sharing, and drift per person and team.

The drift rule itself lives in ``drift.py`` as plain functions; this module
feeds it from the database, aggregating in SQL over the ``period_scores``
rollup so the cost does not grow with the number of answers stored.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from learning_hub.auth.models import Membership, MembershipSpell, Team, User, teams_sharing_someone
from learning_hub.core import audit
from learning_hub.core.database import read, utcnow
from learning_hub.core.disclosure import apart_enough
from learning_hub.core.extensions import cache, db
from learning_hub.core.pagination import Listing, paginate
from learning_hub.modules.models import Reflection
from learning_hub.selfchecks import drift
from learning_hub.selfchecks.models import (
    CheckStatus,
    PeriodScore,
    SelfCheck,
    SelfCheckAnswer,
    SelfCheckShare,
)


class IncompleteCheck(ValueError):
    """Submitting needs a rating for every statement; these are missing."""

    def __init__(self, missing):
        self.missing = missing
        super().__init__(f"{len(missing)} statements have no rating yet")


def drift_settings():
    config = current_app.config
    return {"lam": config["DRIFT_LAMBDA"], "threshold": config["DRIFT_THRESHOLD"]}


# The person's latest draft (bound parameter ``user_id``).
DRAFT = (
    sa.select(SelfCheck)
    .where(SelfCheck.user_id == sa.bindparam("user_id"), SelfCheck.status == CheckStatus.DRAFT)
    .order_by(SelfCheck.updated_at.desc())
    .limit(1)
)
# When that draft was started and how many statements it has rated.
DRAFT_SUMMARY = DRAFT.with_only_columns(
    SelfCheck.started_at,
    sa.select(sa.func.count(SelfCheckAnswer.id))
    .where(SelfCheckAnswer.self_check_id == SelfCheck.id)
    .correlate(SelfCheck)
    .scalar_subquery()
    .label("answered"),
)


def current_draft(user):
    return db.session.scalar(DRAFT, {"user_id": user.id})


def draft_summary(user):
    """When the person started the self-check they have not finished and how many
    statements they have rated in it (a row), or None: for pages that mention the
    draft without loading it."""
    return read(DRAFT_SUMMARY, {"user_id": user.id}).first()


CHECKS_PER_PAGE = 12


# The person's submitted self-checks, newest first (bound parameter ``user_id``).
SUBMITTED = (
    sa.select(SelfCheck)
    .where(SelfCheck.user_id == sa.bindparam("user_id"), SelfCheck.status == CheckStatus.SUBMITTED)
    .order_by(SelfCheck.submitted_at.desc(), SelfCheck.id.desc())
)
# The same as rows of when each was submitted and the team it is shared with, if any.
SUBMITTED_ROWS = Listing(
    SUBMITTED.with_only_columns(
        SelfCheck.id,
        SelfCheck.submitted_at,
        sa.select(Team.name)
        .join(SelfCheckShare, SelfCheckShare.team_id == Team.id)
        .where(SelfCheckShare.self_check_id == SelfCheck.id, SelfCheckShare.revoked_at.is_(None))
        .order_by(SelfCheckShare.id)
        .limit(1)
        .correlate(SelfCheck)
        .scalar_subquery()
        .label("shared_with"),
    )
)


def latest_scores(check):
    """{principle: score} of the person's latest submitted ``check``.

    Its monthly rollup rows hold exactly these scores (the latest check of a month
    is the one the rollup keeps), so eight rows are read instead of every answer.
    """
    statement = (
        sa.select(PeriodScore.principle, PeriodScore.score)
        .where(PeriodScore.self_check_id == check.id)
        .order_by(PeriodScore.id)  # written in the instrument's order of principles
    )
    scores = dict(db.session.execute(statement).all())
    return scores or check.principle_scores()


def submitted_checks(user, limit=None):
    """The person's submitted self-checks, newest first (the latest ``limit`` when given).

    ``user`` is the person or their id."""
    statement = SUBMITTED if limit is None else SUBMITTED.limit(limit)
    return db.session.scalars(statement, {"user_id": getattr(user, "id", user)}).all()


def checks_page(user, page):
    """Page ``page`` of the person's self-checks, as rows of when each was submitted
    and the team it is shared with, if any."""
    return paginate(SUBMITTED_ROWS, page, CHECKS_PER_PAGE, params={"user_id": user.id}, rows=True)


def save_answers(user, instrument, ratings, notes, *, submit, check=None):
    """Store ratings and notes on the person's draft; ``submit`` finishes it.

    ``ratings`` maps item id to 0-4 or None (not yet rated). Submitting needs
    every item rated (IncompleteCheck otherwise) and updates the period rollup.
    """
    if check is None:
        check = SelfCheck(
            user_id=user.id,
            instrument_slug=instrument.slug,
            instrument_version=instrument.version,
            status=CheckStatus.DRAFT,
            notes={},
        )
        db.session.add(check)
    if submit:
        missing = [item.id for item in instrument.items if ratings.get(item.id) is None]
        if missing:
            raise IncompleteCheck(missing)
    existing = {a.item_id: a for a in check.answers}
    for item in instrument.items:
        rating = ratings.get(item.id)
        answer = existing.get(item.id)
        if rating is None:
            if answer is not None:
                check.answers.remove(answer)
        elif answer is None:
            check.answers.append(
                SelfCheckAnswer(item_id=item.id, principle=item.principle, rating=rating)
            )
        else:
            answer.rating = rating
    check.notes = {k: v.strip() for k, v in notes.items() if v and v.strip()}
    check.updated_at = utcnow()
    if submit:
        check.submit()
        db.session.flush()
        record_period_scores(check)
    db.session.flush()
    return check


def record_period_scores(check):
    """Upsert the person's score per principle for the check's month (latest check wins)."""
    period = drift.period_of(check.submitted_at)
    existing = {
        row.principle: row
        for row in db.session.scalars(
            db.select(PeriodScore).where(
                PeriodScore.user_id == check.user_id, PeriodScore.period_on == period
            )
        )
    }
    for principle, score in check.principle_scores().items():
        row = existing.get(principle)
        if row is None:
            db.session.add(
                PeriodScore(
                    user_id=check.user_id,
                    period_on=period,
                    principle=principle,
                    score=score,
                    self_check_id=check.id,
                    submitted_at=check.submitted_at,
                )
            )
        elif row.submitted_at <= check.submitted_at:
            row.score, row.self_check_id, row.submitted_at = score, check.id, check.submitted_at
    scores_changed(check.user_id)


def share_with_team(check, team, user):
    """Share one submitted result with the facilitators of one of the person's teams."""
    if not check.is_submitted:
        raise ValueError("Finish the self-check before sharing it")
    if team.id not in user.team_ids():
        raise PermissionError("You can only share with a team you belong to")
    current = check.active_share()
    if current is not None:
        if current.team_id == team.id:
            raise ValueError(f"This result is already shared with {team.name}'s facilitators")
        current.revoke()
    share = SelfCheckShare(self_check=check, team_id=team.id, shared_at=utcnow())
    db.session.add(share)
    audit.record("selfcheck.shared", check, actor=user, detail=f"team={team.id}")
    return share


def withdraw_share(check, user):
    share = check.active_share()
    if share is None:
        raise ValueError("This result is not shared")
    share.revoke()
    audit.record("selfcheck.share_withdrawn", check, actor=user, detail=f"team={share.team_id}")


def withdraw_shares_on_leaving(user, by, team=None):
    """Withdraw the person's results shared with ``team``'s facilitators (with any
    team's when none is given): what they shared as a member ends when they leave
    the team or are deactivated. Rejoining does not share them again."""
    condition = SelfCheckShare.revoked_at.is_(None)
    if team is not None:
        condition &= SelfCheckShare.team_id == team.id
    shares = db.session.scalars(
        db.select(SelfCheckShare)
        .join(SelfCheck, SelfCheckShare.self_check_id == SelfCheck.id)
        .where(SelfCheck.user_id == user.id, condition)
    ).all()
    for share in shares:
        share.revoke()
        audit.record(
            "selfcheck.share_withdrawn",
            share.self_check,
            actor=by,
            detail=f"team={share.team_id} on leaving",
        )
    return shares


def shared_with_team(team):
    """Results currently shared with ``team``'s facilitators, newest first."""
    return db.session.scalars(
        db.select(SelfCheck)
        .join(SelfCheckShare, SelfCheckShare.self_check_id == SelfCheck.id)
        .where(SelfCheckShare.team_id == team.id, SelfCheckShare.revoked_at.is_(None))
        .options(db.joinedload(SelfCheck.user))
        .order_by(SelfCheckShare.shared_at.desc())
    ).all()


# --- drift -------------------------------------------------------------------------


def personal_drift(user, principles):
    """{principle: DriftResult} over the person's own months (no group-size rule).

    The result is remembered per process against the version of the person's
    rollup rows, which comes with the person; only a new or removed self-check
    makes it compute again.
    """
    return drift_from_version(rollup_version(user), principles)


def rollup_version(user):
    """``(user id, created, scores version)``: keys what is derived from the person's
    submitted checks. ``users.scores_version`` moves with every change to their monthly
    rows (``record_period_scores``, ``privacy.erasure.erase_person``), so the person loaded
    for the page already says whether remembered figures are current, without reading
    the rows. The creation time keeps apart a person of the same id in a database
    made afresh under the same URL (a demo reseeded while the site runs)."""
    return (user.id, user.created_at, user.scores_version)


def scores_changed(user_id):
    """Move the person's ``scores_version`` on, in the current transaction: their
    monthly rows have changed. An increment in SQL, so two changes at once both count."""
    db.session.execute(
        sa.update(User).where(User.id == user_id).values(scores_version=User.scores_version + 1)
    )


def drift_from_version(version, principles):
    """``personal_drift`` for the person and rollup version ``version``."""
    settings = drift_settings()
    return _personal_drift(version, tuple(principles), settings["lam"], settings["threshold"])


@cache.memoize()
def _personal_drift(version, principles, lam, threshold):
    user_id = version[0]
    rows = db.session.execute(
        sa.select(PeriodScore.period_on, PeriodScore.principle, PeriodScore.score)
        .where(PeriodScore.user_id == user_id)
        .order_by(PeriodScore.period_on)
    ).all()
    by_principle = {p: {} for p in principles}
    for period, principle, score in rows:
        by_principle.setdefault(principle, {})[period] = (score, 1)
    periods = sorted({period for period, _, _ in rows})
    if periods:
        periods = drift.month_range(periods[0], periods[-1])
    return {
        principle: drift.evaluate(values, periods=periods, lam=lam, threshold=threshold)
        for principle, values in by_principle.items()
    }


def drifting_principles(user, principles):
    return {
        p
        for p, result in personal_drift(user, principles).items()
        if result.signal == drift.Signal.DRIFT
    }


@dataclass
class TeamPrinciple:
    team: Team
    principle: str
    result: drift.DriftResult

    @property
    def latest(self):
        return self.result.latest


def team_period_rows(team_ids, first, last):
    return _team_period_rows(tuple(sorted(team_ids)), first, last)


@cache.memoize()
def _team_period_rows(team_ids, first, last):
    """(team_id, period, principle, mean, people) for every team and month with scores,
    with ``mean`` None for a cell that may not be shown beside the others.

    Each person's row is their latest check in the month (the rollup), so the mean
    weighs people equally however often they take the check. A score counts for the
    teams its author was in when they submitted it (their membership spells), so a
    later join or leave changes no month's figure. Of two teams whose contributors in
    a month differ by 1 to MIN_GROUP_SIZE - 1 people, the smaller team's figures for
    that month are hidden (``core.disclosure.apart_enough``): one figure minus the
    other would describe those few. The comparison is with every team, asked for or
    not (a team's own page must not show what the organisation's page hides). Only
    teams that share a person can be that close (two shown teams with nobody in common
    differ by at least twice the minimum), so contributors are read only for those.
    """
    if not team_ids:
        return []
    attributed = sa.and_(
        MembershipSpell.user_id == PeriodScore.user_id,
        MembershipSpell.covers(PeriodScore.submitted_at),
    )
    in_range = (PeriodScore.period_on >= first, PeriodScore.period_on <= last)
    cells = db.session.execute(
        db.select(
            MembershipSpell.team_id,
            PeriodScore.period_on,
            PeriodScore.principle,
            db.func.avg(PeriodScore.score),
            # One row per person, month and principle, and one spell per team at a
            # time: counting rows counts distinct people.
            db.func.count(),
        )
        .join(MembershipSpell, attributed)
        .where(MembershipSpell.team_id.in_(team_ids), *in_range)
        .group_by(MembershipSpell.team_id, PeriodScore.period_on, PeriodScore.principle)
    ).all()
    hidden = set()
    linked = teams_sharing_someone(db.session, team_ids)
    if linked:
        contributors = {}
        for team_id, period, user_id in db.session.execute(
            db.select(MembershipSpell.team_id, PeriodScore.period_on, PeriodScore.user_id)
            .join(MembershipSpell, attributed)
            .where(MembershipSpell.team_id.in_(linked), *in_range)
            .distinct()
        ):
            contributors.setdefault(period, {}).setdefault(team_id, set()).add(user_id)
        min_group = current_app.config["MIN_GROUP_SIZE"]
        for period, groups in contributors.items():
            shown = apart_enough(groups, min_group)
            hidden |= {(team_id, period) for team_id in groups if team_id not in shown}
    return [
        (team_id, period, principle, None if (team_id, period) in hidden else mean, people)
        for team_id, period, principle, mean, people in cells
    ]


# The baseline a leader does not set: each team's first BASELINE_MONTHS months with
# enough responses in the drift pages' default range (``drift.default_range``). It
# moves with the calendar, once a month, never with the range a leader looks at, and
# its read stays the size of the default page's.
BASELINE_MONTHS = 3


@dataclass
class TeamDrift(TeamPrinciple):
    """A team's drift on one principle, with the months its baseline was taken from
    (``(first, last)`` first days), or None while the team has too few months for one."""

    baseline_months: tuple | None = None


def team_drift(teams, principles, first, last, *, baseline_range=None):
    """{team_id: {principle: TeamDrift}} for the months from ``first`` to ``last``.

    The baseline does not depend on the months shown. Without ``baseline_range`` it is
    each team's first ``BASELINE_MONTHS`` months with enough responses in the default
    range (``drift.default_range``); a ``baseline_range`` set by a leader is read whether or
    not it lies inside the range shown. The smoothed line starts at the baseline's first
    month and runs to ``last``, so the signal for a month is the same whatever the range
    starts with. The points returned are the months from ``first`` to ``last``, each with
    its value (None where hidden) and its number of people.
    """
    min_group = current_app.config["MIN_GROUP_SIZE"]
    periods = drift.month_range(first, last)
    window = drift.default_range(date.today())
    read_from = min(periods[0], baseline_range[0] if baseline_range else window[0])
    # Up to this month at least, so that every range ending before it shares one read.
    read_to = max(periods[-1], window[1])
    values = {}
    for team_id, period, principle, mean, people in team_period_rows(
        [t.id for t in teams], read_from, read_to
    ):
        shown = mean is not None and people >= min_group
        values.setdefault((team_id, principle), {})[period] = (
            float(mean) if shown else None,
            people,
        )
    baselines = (
        dict.fromkeys((t.id for t in teams), tuple(baseline_range))
        if baseline_range
        else _first_months(values, BASELINE_MONTHS, since=window[0])
    )
    settings = drift_settings()
    return {
        team.id: {
            principle: TeamDrift(
                team,
                principle,
                _drift_against(
                    values.get((team.id, principle), {}),
                    periods,
                    baselines.get(team.id),
                    settings,
                ),
                baselines.get(team.id),
            )
            for principle in principles
        }
        for team in teams
    }


def _first_months(values, count, since):
    """{team_id: (first, last)} of each team's first ``count`` months from ``since`` in
    which any of its figures is shown, from ``{(team_id, principle): {period: (value,
    people)}}``; teams with fewer such months have none."""
    shown = {}
    for (team_id, _principle), by_period in values.items():
        months = shown.setdefault(team_id, set())
        months.update(
            period
            for period, (value, _) in by_period.items()
            if value is not None and period >= since
        )
    return {
        team_id: (ordered[0], ordered[count - 1])
        for team_id, months in shown.items()
        if len(ordered := sorted(months)) >= count
    }


def _drift_against(by_period, periods, baseline_months, settings):
    """The drift rule for one team and principle over ``periods`` (the months shown),
    against the baseline months given, or "not enough data" without them.

    The rule runs over the months with figures from the baseline's first month to the
    last month shown (the months between without figures are gaps, which the rule skips
    anyway); the points are then those of the months shown. With no figure in the months
    shown there is nothing to signal about them."""
    shown = [drift.Point(p, *by_period.get(p, (None, 0))) for p in periods]
    if baseline_months is None:
        return drift.DriftResult(shown, None, drift.Signal.NOT_ENOUGH_DATA)
    span = sorted(p for p in by_period if baseline_months[0] <= p <= periods[-1])
    result = drift.evaluate(
        {p: by_period[p] for p in span},
        periods=span,
        baseline_range=baseline_months,
        **settings,
    )
    if all(point.value is None for point in shown):
        return drift.DriftResult(shown, result.baseline, drift.Signal.NOT_ENOUGH_DATA)
    smoothed = {point.period: point.smoothed for point in result.points}
    return replace(
        result,
        points=[replace(point, smoothed=smoothed.get(point.period)) for point in shown],
    )


def quiet_teams(teams, now=None):
    """Teams of at least MIN_GROUP_SIZE members with no self-check submitted and no
    reflection written for QUIET_AFTER_DAYS.

    The flag says something about every member at once, so, like any figure about a
    group, it is never shown for a team smaller than the minimum group: for a team of
    one it would say what that one person has (not) done. One statement asks, for each
    team, how many members it has and whether any of them wrote since then: each
    question stops at the first row found in the person's index, so the cost follows
    the number of members, not how much they wrote lately.
    """
    now = now or utcnow()
    since = now - timedelta(days=current_app.config["QUIET_AFTER_DAYS"])
    ids = [t.id for t in teams]
    if not ids:
        return set()
    checked = sa.exists().where(
        SelfCheck.user_id == Membership.user_id,
        SelfCheck.status == CheckStatus.SUBMITTED,
        SelfCheck.submitted_at >= since,
    )
    reflected = sa.exists().where(
        Reflection.author_id == Membership.user_id, Reflection.created_at >= since
    )
    active = sa.case((sa.or_(checked, reflected), 1), else_=0)
    rows = db.session.execute(
        db.select(Membership.team_id, sa.func.count(), sa.func.max(active))
        .where(Membership.team_id.in_(ids))
        .group_by(Membership.team_id)
    )
    min_group = current_app.config["MIN_GROUP_SIZE"]
    return {team_id for team_id, members, wrote in rows if members >= min_group and not wrote}


# When the person last submitted a self-check.
LAST_SUBMITTED = sa.select(sa.func.max(SelfCheck.submitted_at)).where(
    SelfCheck.user_id == sa.bindparam("user_id"), SelfCheck.status == CheckStatus.SUBMITTED
)


def reminder_for(user, now=None):
    """A gentle nudge when a team cadence says a self-check would be timely, else None."""
    cadences = [
        m.team.selfcheck_cadence_weeks for m in user.memberships if m.team.selfcheck_cadence_weeks
    ]
    if not cadences:
        return None
    weeks = min(cadences)
    last = read(LAST_SUBMITTED, {"user_id": user.id}).scalar()
    now = now or utcnow()
    if last is not None and getattr(last, "tzinfo", None) is None:
        last = last.replace(tzinfo=now.tzinfo)
    if last is not None and now - last < timedelta(weeks=weeks):
        return None
    return {"weeks": weeks, "last": last}
