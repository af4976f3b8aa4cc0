"""Reflections, progress, revisit suggestions and learning goals.

Progress is measured by depth: a module is *in progress* once the person has
answered one of its prompts, *reflected* once every current prompt has an
answer (in any version of the module that asked it), and *due a revisit* when
it was reflected on more than ``REVISIT_AFTER_DAYS`` ago or when one of its
principles shows drift in the person's own self-checks.
"""

import enum
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from learning_hub.auth.models import Membership, Team, User
from learning_hub.content import PRINCIPLES
from learning_hub.core import markdown
from learning_hub.core.database import read, utcnow
from learning_hub.core.extensions import db
from learning_hub.core.pagination import Listing, paginate
from learning_hub.modules.models import (
    GoalStatus,
    LearningGoal,
    ModuleProgress,
    Reflection,
    ReflectionResponse,
    ReflectionRevision,
)


class Status(enum.StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    REFLECTED = "reflected"
    REVISIT = "revisit"

    @property
    def label(self):
        return {
            "not-started": "Not started",
            "in-progress": "In progress",
            "reflected": "Reflected",
            "revisit": "Revisit suggested",
        }[self.value]


@dataclass(frozen=True)
class ModuleStatus:
    status: Status
    answered: int
    total: int
    reflected_at: object = None


@dataclass(frozen=True)
class Suggestion:
    module: object
    reason: str
    is_drift: bool = False


# The ids of the prompts of a module a person has answered (bound parameters ``user_id``
# and ``slug``; the index on author and module makes it the cost of one module's
# reflections, not of their whole history).
ANSWERED_PROMPTS = (
    sa.select(Reflection.prompt_id)
    .where(
        Reflection.author_id == sa.bindparam("user_id"),
        Reflection.module_slug == sa.bindparam("slug"),
    )
    .distinct()
)


def _answered_prompts(user_id, module):
    """The ids of the prompts of ``module`` this person has answered."""
    return set(read(ANSWERED_PROMPTS, {"user_id": user_id, "slug": module.slug}).scalars())


# The person's progress record for a module (bound parameters ``user_id`` and ``slug``).
PROGRESS_ON = sa.select(ModuleProgress).where(
    ModuleProgress.user_id == sa.bindparam("user_id"),
    ModuleProgress.module_slug == sa.bindparam("slug"),
)
REFLECTED_AT = PROGRESS_ON.with_only_columns(ModuleProgress.reflected_at)


def revisit_after():
    return timedelta(days=current_app.config["REVISIT_AFTER_DAYS"])


def _status(module, answered_ids, reflected_at, now):
    done = len(answered_ids & module.prompt_ids)
    total = len(module.prompts)
    if done == 0:
        status = Status.NOT_STARTED
    elif done < total or reflected_at is None:
        status = Status.IN_PROGRESS
    elif now - reflected_at > revisit_after():
        status = Status.REVISIT
    else:
        status = Status.REFLECTED
    return ModuleStatus(status, done, total, reflected_at)


# The person's progress records: per module, the prompts answered and when they last
# reflected on all of it.
PROGRESS_OF_PERSON = sa.select(
    ModuleProgress.module_slug, ModuleProgress.answered_prompts, ModuleProgress.reflected_at
).where(ModuleProgress.user_id == sa.bindparam("user_id"))


def module_statuses(user, library, now=None):
    """{slug: ModuleStatus} for every module in the library, in one query."""
    now = now or utcnow()
    answered, reflected = {}, {}
    # For each module the person started: the prompts they answered and when they last
    # reflected on all of it, as kept on their progress record (one row per module).
    rows = read(PROGRESS_OF_PERSON, {"user_id": user.id})
    for slug, prompt_ids, reflected_at in rows:
        answered[slug], reflected[slug] = set(prompt_ids), reflected_at
    return {
        m.slug: _status(m, answered.get(m.slug, set()), reflected.get(m.slug), now) for m in library
    }


def progress_record(user, module):
    """The person's progress record for ``module``, or None before they reflect on it."""
    return db.session.scalar(PROGRESS_ON, {"user_id": user.id, "slug": module.slug})


def module_status(user, module, reflections, now=None):
    """The status of one module, from the person's reflections on it (one query)."""
    reflected_at = read(REFLECTED_AT, {"user_id": user.id, "slug": module.slug}).scalar()
    return _status(module, {r.prompt_id for r in reflections}, reflected_at, now or utcnow())


def revisit_suggestions(user, library, *, drifting_principles=(), now=None, statuses=None):
    """Modules worth coming back to, with the reason; drift-based ones first.

    ``drifting_principles`` are the principles whose scores drifted down in this
    person's own self-checks. A reflected module touching one of them is
    suggested whatever its age; otherwise a module reflected on more than
    REVISIT_AFTER_DAYS ago is suggested, oldest first.
    """
    now = now or utcnow()
    statuses = statuses or module_statuses(user, library, now)
    drifting = set(drifting_principles)
    by_drift, by_age = [], []
    for module in library:
        state = statuses[module.slug]
        if state.status not in (Status.REFLECTED, Status.REVISIT):
            continue
        touched = [p for p in module.principles if p in drifting]
        if touched:
            names = " and ".join(PRINCIPLES[p].lower() for p in touched)
            reason = (
                f"Your own self-checks show {names} slipping since you reflected on this module."
            )
            by_drift.append((state.reflected_at, Suggestion(module, reason, is_drift=True)))
        elif state.status == Status.REVISIT:
            months = max(1, (now - state.reflected_at).days // 30)
            plural = "s" if months != 1 else ""
            reason = (
                f"You reflected on this {months} month{plural} ago. A second look often "
                "finds something new in your current cases."
            )
            by_age.append((state.reflected_at, Suggestion(module, reason)))
    return [s for _, s in sorted(by_drift, key=lambda x: x[0])] + [
        s for _, s in sorted(by_age, key=lambda x: x[0])
    ]


def _start_progress(user, module):
    """A new progress record, or the one a simultaneous request of the same person made.

    Two first reflections on a module sent at once (two tabs, a double click on
    PostgreSQL) both find no record; the second insert meets the unique constraint,
    so it is tried in a savepoint and the winner's record is used instead.
    """
    record = ModuleProgress(user_id=user.id, module_slug=module.slug, started_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        record = progress_record(user, module)
    return record


def _refresh_progress(user, module):
    """Bring the person's progress record for ``module`` in line with their reflections."""
    answered = _answered_prompts(user.id, module)
    record = progress_record(user, module)
    if not answered:
        if record is not None:
            db.session.delete(record)
        return None
    if record is None:
        record = _start_progress(user, module)
    record.answered_prompts = sorted(answered)
    if module.prompt_ids <= answered:
        record.reflected_at = utcnow()
        record.reflected_version = module.version
    elif record.reflected_at is not None and not (module.prompt_ids <= answered):
        record.reflected_at = None
        record.reflected_version = None
    return record


def write_reflection(user, module, prompt, body, share_team=None):
    """Save a new reflection on ``prompt``, attached to the module's current version."""
    now = utcnow()
    reflection = Reflection(
        author_id=user.id,
        module_slug=module.slug,
        module_version=module.version,
        prompt_id=prompt.id,
        prompt_text=prompt.text,
        body=body,
        body_html=str(markdown.render(body)),
        shared_team_id=share_team.id if share_team else None,
        shared_at=now if share_team else None,
        created_at=now,
        updated_at=now,
    )
    db.session.add(reflection)
    db.session.flush()
    _refresh_progress(user, module)
    return reflection


def edit_reflection(reflection, body):
    """Change the text, keeping the earlier text in the reflection's history."""
    if body == reflection.body:
        return False
    db.session.add(
        ReflectionRevision(
            reflection=reflection,
            body=reflection.body,
            body_html=reflection.body_html,
            created_at=reflection.updated_at,
        )
    )
    reflection.body = body
    reflection.body_html = str(markdown.render(body))
    reflection.updated_at = utcnow()
    return True


def set_sharing(reflection, team):
    """Share with ``team`` (one of the author's), or make private again with None."""
    if team is None:
        reflection.shared_team_id = None
        reflection.shared_at = None
    elif reflection.shared_team_id != team.id:
        reflection.shared_team_id = team.id
        reflection.shared_at = utcnow()


def delete_reflection(reflection, library):
    """Delete a reflection with its history and responses; progress follows."""
    author, slug = reflection.author, reflection.module_slug
    db.session.delete(reflection)
    db.session.flush()
    module = library.get(slug)
    if module is not None:
        _refresh_progress(author, module)


def respond(reflection, user, body):
    """A teammate's response to a shared reflection."""
    if not reflection.can_respond(user):
        raise PermissionError("Only members of the team it is shared with can respond")
    response = ReflectionResponse(
        reflection=reflection,
        author_id=user.id,
        reflection_author_id=reflection.author_id,
        body=body,
        body_html=str(markdown.render(body)),
    )
    db.session.add(response)
    db.session.flush()
    # Counted in SQL: a count read, incremented here and written back loses the
    # responses sent at the same moment (PostgreSQL's row lock queues these instead).
    count = db.session.execute(
        sa.update(Reflection)
        .where(Reflection.id == reflection.id)
        .values(response_count=Reflection.response_count + 1)
        .returning(Reflection.response_count),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    set_committed_value(reflection, "response_count", count)
    return response


# "My learning" quotes the start of each reflection (``truncate(180)``, which keeps
# a text of up to 185 characters whole): reading the first 200 gives the same quote.
QUOTED_CHARACTERS = 200


# The person's own reflections, newest first, as rows of what "My learning" lists
# (bound parameters ``user_id`` and, for one module only, ``module_slug``).
_MY_REFLECTIONS = (
    sa.select(
        Reflection.id,
        Reflection.module_slug,
        Reflection.prompt_text,
        sa.func.substr(Reflection.body, 1, QUOTED_CHARACTERS).label("body"),
        Reflection.created_at,
        Team.name.label("shared_team_name"),
    )
    .outerjoin(Team, Reflection.shared_team_id == Team.id)
    .where(Reflection.author_id == sa.bindparam("user_id"))
    .order_by(Reflection.created_at.desc(), Reflection.id.desc())
)
MY_REFLECTIONS = Listing(_MY_REFLECTIONS)
MY_REFLECTIONS_ON_MODULE = Listing(
    _MY_REFLECTIONS.where(Reflection.module_slug == sa.bindparam("module_slug"))
)


def my_reflections_page(user, page, module_slug=None, per_page=20):
    """Page ``page`` of the person's own reflections, newest first, as rows of what
    "My learning" lists (the body cut to its first ``QUOTED_CHARACTERS``)."""
    if module_slug:
        return paginate(
            MY_REFLECTIONS_ON_MODULE,
            page,
            per_page,
            params={"user_id": user.id, "module_slug": module_slug},
            rows=True,
        )
    return paginate(MY_REFLECTIONS, page, per_page, params={"user_id": user.id}, rows=True)


SHOWN_PER_PROMPT = 3


_group = (Reflection.module_version, Reflection.prompt_id)
_ranked = (
    sa.select(
        Reflection.id,
        sa.func.row_number()
        .over(partition_by=_group, order_by=(Reflection.created_at.desc(), Reflection.id.desc()))
        .label("rank"),
        sa.func.count().over(partition_by=_group).label("total"),
    )
    .where(
        Reflection.author_id == sa.bindparam("user_id"),
        Reflection.module_slug == sa.bindparam("slug"),
    )
    .subquery()
)
# The person's latest ``per_prompt`` reflections on each prompt of each version of a
# module, oldest first, with how many there are in all of each (bound parameters
# ``user_id``, ``slug`` and ``per_prompt``).
MY_REFLECTIONS_ON = (
    sa.select(
        Reflection.id,
        Reflection.module_version,
        Reflection.prompt_id,
        Reflection.prompt_text,
        Reflection.body_html,
        Reflection.created_at,
        Reflection.updated_at,
        Reflection.response_count,
        Team.name.label("shared_team_name"),
        _ranked.c.total,
    )
    .join(_ranked, _ranked.c.id == Reflection.id)
    .outerjoin(Team, Reflection.shared_team_id == Team.id)
    .where(_ranked.c.rank <= sa.bindparam("per_prompt"))
    .order_by(Reflection.created_at, Reflection.id)
)


def my_reflections_on(user, module, per_prompt=SHOWN_PER_PROMPT):
    """The person's latest reflections on each prompt of each version of ``module``.

    Returns ``(reflections oldest first, {(version, prompt id): how many in all})``,
    the reflections as rows of what the module page shows of each: it shows the
    latest few per question and links to the rest, so it stays the same size
    however many times someone comes back to a module.
    """
    rows = read(
        MY_REFLECTIONS_ON, {"user_id": user.id, "slug": module.slug, "per_prompt": per_prompt}
    ).all()
    totals = {(r.module_version, r.prompt_id): r.total for r in rows}
    return rows, totals


def shared_with_team(team):
    """A select of the reflections shared with ``team``, newest first."""
    return (
        db.select(Reflection)
        .where(Reflection.shared_team_id == team.id)
        .options(db.joinedload(Reflection.author))
        .order_by(Reflection.shared_at.desc(), Reflection.id.desc())
    )


# Teammates' latest responses to a person's module reflections (the home page reads them
# with those to their case reflections: ``cases.services.RESPONSES_TO``, which gives the
# bound parameters ``user_id`` and ``limit``).
RECENT_RESPONSES = (
    sa.select(
        ReflectionResponse.id,
        ReflectionResponse.reflection_id,
        ReflectionResponse.created_at,
        User.display_name.label("author_name"),
    )
    .join(Reflection, ReflectionResponse.reflection_id == Reflection.id)
    .outerjoin(User, ReflectionResponse.author_id == User.id)
    .where(
        ReflectionResponse.reflection_author_id == sa.bindparam("user_id"),
        ReflectionResponse.author_id != sa.bindparam("user_id"),
        # Not from a team the person has left, whose reflection is still shared there.
        sa.or_(
            Reflection.shared_team_id.is_(None),
            Reflection.shared_team_id.in_(
                sa.select(Membership.team_id).where(
                    Membership.user_id == ReflectionResponse.reflection_author_id
                )
            ),
        ),
    )
    .order_by(ReflectionResponse.created_at.desc())
    .limit(sa.bindparam("limit"))
)


def save_goal(user, goal=None, *, description, principles, module_slugs, target_on, share_team):
    """Create a learning goal, or update ``goal``; the person sets every part of it."""
    if goal is None:
        goal = LearningGoal(owner_id=user.id, status=GoalStatus.ACTIVE)
        db.session.add(goal)
    goal.description = description
    goal.description_html = str(markdown.render(description))
    goal.principles = list(principles)
    goal.module_slugs = list(module_slugs)
    goal.target_on = target_on
    goal.shared_team_id = share_team.id if share_team else None
    db.session.flush()
    return goal


# A person's goals, active first, then by target date (bound parameter ``owner_id``).
GOALS_OF = (
    sa.select(LearningGoal)
    .where(LearningGoal.owner_id == sa.bindparam("owner_id"))
    .order_by(
        sa.case((LearningGoal.status == GoalStatus.ACTIVE, 0), else_=1),
        LearningGoal.target_on.is_(None),
        LearningGoal.target_on,
        LearningGoal.created_at.desc(),
    )
)


def goals_of(user):
    """A person's goals, active first, then by target date (My learning)."""
    return db.session.scalars(GOALS_OF, {"owner_id": user.id}).all()


def goals_shared_with(team):
    return db.session.scalars(
        db.select(LearningGoal)
        .where(LearningGoal.shared_team_id == team.id, LearningGoal.status == GoalStatus.ACTIVE)
        .options(db.joinedload(LearningGoal.owner))
        .order_by(LearningGoal.created_at.desc())
    ).all()
