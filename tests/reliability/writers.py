"""What each writing process runs: its own app, its own logged-in client, real routes.

Kept in a module of its own so that ``multiprocessing``'s spawn start method can
import it in a fresh interpreter.
"""

import re
import time
import traceback
import uuid
from datetime import date

ANCHOR_ID = re.compile(r"#(?:reflection|item)-(\d+)$")


def plan_for(targets, worker, count):
    """The ``count`` writes worker number ``worker`` makes, cycling through three kinds."""
    writes = []
    for n in range(count):
        kind = ("reflection", "entry", "agenda")[n % 3]
        text = f"Process {worker} wrote note {n} about what helped"
        if kind == "reflection":
            prompt = targets["prompt_id"]
            url = f"/modules/{targets['module_slug']}/prompts/{prompt}"
            data = {f"{prompt}-body": text, f"{prompt}-share_team_id": "0"}
            token_field = f"{prompt}-submission_token"
        elif kind == "entry":
            url = f"/cases/{targets['case_id']}/entries"
            data = {
                "occurred_on": date.today().isoformat(),
                "method": "phone",
                "initiated_by": "worker",
                "outcome": "reached",
                "note": text,
            }
            token_field = "submission_token"
        else:
            url = f"/sessions/{targets['session_id']}/agenda"
            data = {"kind": "system-question", "title": text, "timebox": ""}
            token_field = "submission_token"
        data[token_field] = uuid.uuid4().hex
        writes.append((kind, text, url, data))
    return writes


def run_writer(uri, user_id, worker, targets, count, start, results):
    """Log in as ``user_id`` and make the planned writes; put what was answered on ``results``."""
    began = time.monotonic()
    try:
        from learning_hub.auth.models import User
        from learning_hub.core.extensions import db
        from tests.conftest import log_in, make_app

        app = make_app(uri)
        with app.app_context():
            client = log_in(app.test_client(), db.session.get(User, user_id))
            db.session.remove()
        writes = plan_for(targets, worker, count)
        start.wait(timeout=60)
        ready = time.monotonic()
        answered = []
        for kind, text, url, data in writes:
            response = client.post(url, data=data)
            location = response.headers.get("Location", "")
            match = ANCHOR_ID.search(location)
            answered.append(
                {
                    "kind": kind,
                    "text": text,
                    "status": response.status_code,
                    "id": int(match.group(1)) if match else None,
                    "body": "" if response.status_code == 302 else response.get_data(as_text=True),
                }
            )
        with app.app_context():
            db.engine.dispose()
        timings = {"start-up": ready - began, "writing": time.monotonic() - ready}
        results.put({"worker": worker, "answered": answered, "seconds": timings})
    except BaseException:
        results.put({"worker": worker, "error": traceback.format_exc()})
