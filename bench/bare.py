"""The ceiling of this stack: one indexed query of 12 rows through a small Jinja template.

Served by the same gunicorn configuration as the site, in the same benchmark run,
so every page's requests per second can be read as a share of what Flask,
SQLAlchemy and Jinja can do at all on this machine.
"""

import os

import sqlalchemy as sa
from flask import Flask, render_template

SOURCE = """<!doctype html><html lang="en"><title>Bare</title><ul>
{% for row in rows %}<li>{{ row.name }}: {{ row.note }}</li>{% endfor %}</ul></html>"""

engine = sa.create_engine(os.environ["BARE_DATABASE_URL"])
metadata = sa.MetaData()
items = sa.Table(
    "bare_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), index=True),
    sa.Column("note", sa.String(200)),
)

app = Flask(__name__)
# Compiled once, as the site's templates are (render_template_string would compile the
# source again on every request, which made this "ceiling" cost as much as a site page).
TEMPLATE = app.jinja_env.from_string(SOURCE)


@app.get("/")
def bare():
    with engine.connect() as connection:
        rows = connection.execute(sa.select(items).order_by(items.c.name).limit(12)).all()
    return render_template(TEMPLATE, rows=rows)


def prepare():
    """Create and fill the table (run once before serving)."""
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            items.insert(),
            [{"name": f"item {n:03d}", "note": f"a note about item {n}"} for n in range(200)],
        )
