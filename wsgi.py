"""The WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...`."""

from learning_hub import create_app

app = create_app()
