"""The WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...`."""

import gc
import importlib.util

from sqlalchemy.orm import configure_mappers

from learning_hub import create_app

app = create_app()
if importlib.util.find_spec("bench"):  # the repository's benchmarks: `flask seed-scale`
    from bench.scale import register

    register(app)
configure_mappers()

# Everything built so far (the content library, the mappers, the routes) lives as
# long as the process: moved out of the collector's reach, it is no longer walked
# by every full collection, which otherwise cost a page that allocates much (a
# module page) about 0.2 ms.
gc.freeze()
