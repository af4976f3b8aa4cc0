"""The demo organisation as data: ``content/demo/*.yaml`` read and validated.

``people.yaml`` holds the teams and people; ``learning.yaml`` module reflections,
responses and goals; ``selfchecks.yaml`` how the teams' self-checks move over a
year; ``reviews.yaml`` the review series; ``cases/*.yaml`` one anonymised case
each. A person is named by their handle and a team by its name everywhere but
``people.yaml``. Every fault is reported with its file and line.
"""

from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from learning_hub.auth.models import MembershipRole, Role
from learning_hub.cases.models import (
    AGE_BANDS,
    FEELINGS,
    Gender,
    Initiator,
    Method,
    Outcome,
    Pattern,
    TriggerKind,
)
from learning_hub.content import PRINCIPLES, ContentError, Fault, line_of, read_yaml, validate
from learning_hub.reviews.models import ItemKind

Days = Annotated[StrictInt, Field(ge=0)]
Principle = Literal[tuple(PRINCIPLES)]


class Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- people.yaml --


class TeamSpec(Fields):
    name: str
    description: str
    cases_opened_by: str | None = None  # the handle of the member who opens its cases
    selfcheck_cadence_weeks: StrictInt | None = None


class PersonSpec(Fields):
    handle: str
    email: str
    name: str
    role: Role
    teams: dict[str, MembershipRole] = {}


class People(Fields):
    teams: list[TeamSpec]
    people: list[PersonSpec]


# -- learning.yaml --


class ReflectionSpec(Fields):
    by: str
    module: str
    days_ago: Days
    shared_with: str | None = None
    answers: list[str]  # one for each of the module's prompts, in order


class ResponseSpec(Fields):
    by: str
    module: str  # to the first reflection on it shared with one of the responder's teams
    days_ago: Days
    text: str


class GoalSpec(Fields):
    by: str
    description: str
    principles: list[Principle]
    modules: list[str]
    target_in_days: Days
    shared_with: str | None = None


class Learning(Fields):
    reflections: list[ReflectionSpec] = []
    responses: list[ResponseSpec] = []
    goals: list[GoalSpec] = []


# -- selfchecks.yaml --


class Drift(Fields):
    team: str
    principles: list[Principle]


class Rise(Fields):
    team: str


class Notes(Fields):
    by: str
    answers: dict[Principle, str]


class SelfChecks(Fields):
    drift: Drift
    rise: Rise
    notes: Notes


# -- reviews.yaml --


class SeriesSpec(Fields):
    title: str
    location: str
    start_time: time
    duration_minutes: StrictInt
    rule: str


class AgendaSpec(Fields):
    kind: Literal[ItemKind.SYSTEM_QUESTION.value, ItemKind.CASE.value]
    title: str
    timebox_minutes: StrictInt
    notes: str
    decisions: str
    action: str


class Reviews(Fields):
    series: SeriesSpec
    items: list[AgendaSpec]
    first_action_done: str


# -- cases/*.yaml --


class EntrySpec(Fields):
    days_ago: Days
    method: Method
    initiated_by: Initiator
    outcome: Outcome
    note: str


class TriggerSpec(Fields):
    kind: TriggerKind
    description: str


class PlanSpec(Fields):
    made_with_person: StrictBool
    preferred_times: str
    preferred_methods: list[Method]
    others_may_contact: str
    during_disengagement: str
    reminders: str
    agreed_days_ago: Days
    review_in_days: StrictInt  # below 0: the review is overdue


class CaseResponseSpec(Fields):
    by: str
    text: str


class CaseReflectionSpec(Fields):
    author: str
    identify: str
    analyse: str
    plan: str
    feelings: list[Literal[FEELINGS]]
    other_feeling: str = ""
    responses: list[CaseResponseSpec] = []


class CaseSpec(Fields):
    team: str
    gender: Gender
    age_band: Literal[AGE_BANDS] | None = None  # not recorded when absent
    context: str
    pattern: Pattern | None = None
    opened_days_ago: Days
    closed: StrictBool = False
    timeline: Annotated[list[EntrySpec], Field(min_length=1)]  # oldest first
    triggers: list[TriggerSpec] = []
    plan: PlanSpec | None = None
    reflection: CaseReflectionSpec | None = None


@dataclass(frozen=True)
class Demo:
    """Everything ``seed-demo`` loads, validated."""

    people: People
    learning: Learning
    selfchecks: SelfChecks
    reviews: Reviews
    cases: list  # of CaseSpec, in file-name order

    def person(self, handle):
        return next(p for p in self.people.people if p.handle == handle)


FILES = {
    "people.yaml": People,
    "learning.yaml": Learning,
    "selfchecks.yaml": SelfChecks,
    "reviews.yaml": Reviews,
}


def load_demo(content_dir, library=None):
    """The demo data under ``content_dir/demo``, checked against itself and, when
    ``library`` is given, against the modules and instrument it refers to.

    :raises ContentError: with the file and line of every fault.
    """
    folder = Path(content_dir) / "demo"
    faults, parsed = [], {}
    paths = [folder / name for name in FILES] + sorted((folder / "cases").glob("*.yaml"))
    for path in paths:
        model = FILES.get(path.name) if path.parent == folder else CaseSpec
        if not path.is_file():
            faults.append(Fault(path, 0, "file not found"))
            continue
        try:
            data, lines = read_yaml(path)
        except ContentError as exc:
            faults.extend(exc.faults)
            continue
        value, found = validate(model, data, path, lines)
        faults.extend(found)
        if value is not None:
            parsed[path] = (value, lines)
    if not faults:
        faults.extend(_references(parsed, library))
    if faults:
        raise ContentError(faults)
    by_name = {path.name: value for path, (value, _) in parsed.items() if path.parent == folder}
    return Demo(
        people=by_name["people.yaml"],
        learning=by_name["learning.yaml"],
        selfchecks=by_name["selfchecks.yaml"],
        reviews=by_name["reviews.yaml"],
        cases=[value for path, (value, _) in parsed.items() if path.parent != folder],
    )


def _references(parsed, library):
    """A fault for every handle, team or module named that does not exist."""
    people = next(v for p, (v, _) in parsed.items() if p.name == "people.yaml")
    handles = {p.handle for p in people.people}
    teams = {t.name for t in people.teams}
    modules = {m.slug for m in library} if library is not None else None
    faults = []

    def check(path, lines, place, value, known, what):
        if value is not None and known is not None and value not in known:
            faults.append(Fault(path, line_of(lines, place), f"unknown {what} '{value}'"))

    for path, (value, lines) in parsed.items():
        for place, kind, name in _names(value):
            known = {"person": handles, "team": teams, "module": modules}[kind]
            check(path, lines, place, name, known, kind)
        if isinstance(value, People):
            for place, duplicate in _duplicates(value):
                faults.append(Fault(path, line_of(lines, place), duplicate))
    return faults


def _names(value):
    """(place, kind, name) for each person, team and module ``value`` refers to."""
    if isinstance(value, People):
        for i, team in enumerate(value.teams):
            yield ("teams", i, "cases_opened_by"), "person", team.cases_opened_by
        for i, person in enumerate(value.people):
            for team in person.teams:
                yield ("people", i, "teams", team), "team", team
    elif isinstance(value, Learning):
        for key in ("reflections", "responses", "goals"):
            for i, item in enumerate(getattr(value, key)):
                yield (key, i, "by"), "person", item.by
                if hasattr(item, "module"):
                    yield (key, i, "module"), "module", item.module
                for j, slug in enumerate(getattr(item, "modules", ())):
                    yield (key, i, "modules", j), "module", slug
                yield (key, i, "shared_with"), "team", getattr(item, "shared_with", None)
    elif isinstance(value, SelfChecks):
        yield ("drift", "team"), "team", value.drift.team
        yield ("rise", "team"), "team", value.rise.team
        yield ("notes", "by"), "person", value.notes.by
    elif isinstance(value, CaseSpec):
        yield ("team",), "team", value.team
        if value.reflection:
            yield ("reflection", "author"), "person", value.reflection.author
            for i, response in enumerate(value.reflection.responses):
                yield ("reflection", "responses", i, "by"), "person", response.by


def _duplicates(people):
    seen = {}
    for key in ("handle", "email"):
        for i, person in enumerate(people.people):
            value = getattr(person, key)
            if (key, value) in seen:
                yield ("people", i, key), f"{key} '{value}' is also person {seen[key, value] + 1}"
            seen.setdefault((key, value), i)
    for i, team in enumerate(people.teams):
        if ("team", team.name) in seen:
            yield ("teams", i, "name"), f"team '{team.name}' is listed twice"
        seen.setdefault(("team", team.name), i)
