"""Two first reflections on a module, sent at the same moment, both save (one progress record)."""

import threading

import pytest
from flask.testing import FlaskClient

from learning_hub.core.extensions import db
from learning_hub.modules.models import ModuleProgress, Reflection
from tests.conftest import log_in

pytestmark = pytest.mark.real_commits


def test_simultaneous_first_reflections_both_save_with_one_progress_record(app, world):
    """Do two tabs' first reflections on each module, sent at once, all get saved?"""
    app.test_client_class = FlaskClient
    modules = list(app.extensions["content"].library)[:4]
    clients = [log_in(app.test_client(), world.staff) for _ in range(2)]
    db.session.commit()  # the test's own transaction must not hold SQLite's lock
    statuses, lock = [], threading.Lock()

    for module in modules:
        prompt = module.prompts[0].id
        url = f"/modules/{module.slug}/prompts/{prompt}"
        start = threading.Barrier(len(clients))

        def send(client, n, url=url, prompt=prompt, start=start):
            start.wait()
            data = {f"{prompt}-body": f"Tab {n} thinking.", f"{prompt}-share_team_id": "0"}
            status = client.post(url, data=data).status_code
            with lock:
                statuses.append(status)

        threads = [
            threading.Thread(target=send, args=(client, n)) for n, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert statuses == [302] * (len(modules) * len(clients))
    slugs = [m.slug for m in modules]
    written = db.session.scalar(
        db.select(db.func.count(Reflection.id)).where(
            Reflection.author_id == world.staff.id, Reflection.module_slug.in_(slugs)
        )
    )
    records = db.session.scalar(
        db.select(db.func.count(ModuleProgress.id)).where(
            ModuleProgress.user_id == world.staff.id, ModuleProgress.module_slug.in_(slugs)
        )
    )
    assert (written, records) == (len(modules) * len(clients), len(modules))
