"""The WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...`."""

import gc

from sqlalchemy.orm import configure_mappers

from learning_hub import create_app

app = create_app()
configure_mappers()

# Everything built so far (the content library, the mappers, the routes) lives as
# long as the process: moved out of the collector's reach, it is no longer walked
# by every full collection, which otherwise cost a page that allocates much (a
# module page) about 0.2 ms.
gc.freeze()
