"""Several processes writing at once, each with its own app, through the real routes."""

import multiprocessing
import queue

import pytest

from learning_hub.cases.models import TimelineEntry
from learning_hub.core.extensions import db
from learning_hub.modules.models import Reflection
from learning_hub.reviews.models import AgendaItem
from tests import factories
from tests.reliability.writers import run_writer

pytestmark = pytest.mark.real_commits

PROCESSES = 4
WRITES_EACH = 15
MODELS = {
    "reflection": (Reflection, Reflection.body),
    "entry": (TimelineEntry, TimelineEntry.note),
    "agenda": (AgendaItem, AgendaItem.title),
}


def _run_processes(uri, user_ids, targets):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(user_ids))
    results = context.Queue()
    processes = [
        context.Process(
            target=run_writer,
            args=(uri, user_id, worker, targets, WRITES_EACH, start, results),
        )
        for worker, user_id in enumerate(user_ids)
    ]
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=120))
    except queue.Empty:
        pass
    for process in processes:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()
    return reports


def test_writes_from_several_processes_are_all_answered_and_all_kept(app, world):
    """Do four processes writing reflections, timeline entries and agenda items at once all
    get a redirect, and is every write they were told was saved in the database?"""
    module = app.extensions["content"].library.get("noticing-your-own-reactions")
    case = factories.create_case(world.north, world.staff)
    session = factories.create_review(world.north, world.facilitator).sessions[0]
    users = [world.staff] + [
        factories.create_user(teams={world.north: "member"}) for _ in range(PROCESSES - 1)
    ]
    targets = {
        "module_slug": module.slug,
        "prompt_id": module.prompts[0].id,
        "case_id": case.id,
        "session_id": session.id,
    }
    user_ids = [user.id for user in users]
    # Hold no transaction (on SQLite, no write lock) while the processes write.
    db.session.commit()

    reports = _run_processes(app.config["SQLALCHEMY_DATABASE_URI"], user_ids, targets)

    errors = [r["error"] for r in reports if "error" in r]
    assert errors == [], "\n".join(errors)
    assert len(reports) == PROCESSES
    answered = [write for report in reports for write in report["answered"]]
    assert len(answered) == PROCESSES * WRITES_EACH
    refused = [(w["status"], w["body"][:300]) for w in answered if w["status"] != 302]
    assert refused == []
    assert not any("database is locked" in w["body"] for w in answered)
    db.session.rollback()
    for kind, (model, text_column) in MODELS.items():
        sent = sorted(w["text"] for w in answered if w["kind"] == kind)
        stored = sorted(db.session.scalars(db.select(text_column)).all())
        assert stored == sent, kind
        ids = {w["id"] for w in answered if w["kind"] == kind and w["id"] is not None}
        if kind != "entry":  # timeline entries redirect to the timeline, not to an anchor
            assert len(ids) == len(sent)
            rows = db.session.execute(db.select(model.id, text_column)).all()
            by_id = dict(rows)
            assert {by_id[w["id"]] for w in answered if w["kind"] == kind} == set(sent)
