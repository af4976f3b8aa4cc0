"""The cost of a page must not grow with the history it holds.

Each key page is requested for a person who can see it, on the demo data and
on a generated organisation at two sizes; the SQL statements it issues are
counted with an engine event listener. No page may issue more than
``querycount.LIMIT`` statements, and none may issue more at the larger size
(an N+1 load would).
"""

import time

import pytest
from sqlalchemy import inspect

from bench.scale import seed_scale_command
from learning_hub.core.extensions import db
from tests import querycount
from tests.conftest import TEST_DATABASE_URL, empty_database, log_in


def measure(app):
    """{page name: (status, statement count)} for every key page."""
    who = querycount.people()
    clients = {role: log_in(app.test_client(), who[role]) for role in querycount.ROLES if who[role]}
    clients[None] = app.test_client()
    counts = {}
    for viewer, name, url in querycount.pages(who):
        client = clients[viewer]
        client.get(url)  # warm: first-use writes (a calendar feed) are not the page's cost
        # The check for a content reload by another process runs at most every 10 s, in
        # whichever request comes next: a statement a process makes every 10 s, not one
        # of this page's, so it is kept out of whichever count would cross the 10 s.
        app.extensions["content"].checked_at = time.monotonic()
        with querycount.counting(db.engine) as statements:
            response = client.get(url)
        counts[name] = (response.status_code, len(statements), url)
    return counts


def over_limit(counts):
    return {
        name: (count, url)
        for name, (status, count, url) in counts.items()
        if count > querycount.LIMIT
    }


def test_every_key_page_on_the_demo_data_stays_within_the_statement_limit(app, runner):
    """On the demo organisation, does every key page answer 200 within 15 statements?"""
    runner.invoke(args=["seed-demo", "--password", "demo-password-123"])
    counts = measure(app)
    assert {name: s for name, (s, _, _) in counts.items() if s != 200} == {}
    assert over_limit(counts) == {}


def test_page_cost_does_not_grow_with_history(app, runner):
    """With three times the history for the same people, does any page issue more statements?"""
    size = ["--teams", "3", "--people", "30", "--years", "1", "--seed", "5"]
    result = runner.invoke(seed_scale_command, [*size, "--scale", "1"])
    assert result.exit_code == 0, result.output
    small = measure(app)
    empty_database()
    result = runner.invoke(seed_scale_command, [*size, "--scale", "3"])
    assert result.exit_code == 0, result.output
    large = measure(app)
    assert {name: s for name, (s, _, _) in large.items() if s != 200} == {}
    assert over_limit(large) == {}
    grew = {
        name: (small[name][1], large[name][1]) for name in small if large[name][1] > small[name][1]
    }
    assert grew == {}


@pytest.mark.real_commits
def test_every_foreign_key_and_filter_column_has_an_index(app):
    """Is every foreign key, and every column the pages filter or sort on, indexed?"""
    inspector = inspect(db.engine)
    missing = []
    for table in inspector.get_table_names():
        covered = [tuple(i["column_names"]) for i in inspector.get_indexes(table)]
        covered += [tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)]
        covered.append(tuple(inspector.get_pk_constraint(table)["constrained_columns"]))
        wanted = [tuple(fk["constrained_columns"]) for fk in inspector.get_foreign_keys(table)]
        wanted += [cols for t, cols in querycount.FILTERED_COLUMNS if t == table]
        for columns in wanted:
            if not any(index[: len(columns)] == columns for index in covered):
                missing.append((table, columns))
    assert missing == []


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="query plans are checked on PostgreSQL")
def test_dashboard_and_insights_plans_use_indexes(app, runner):
    """On PostgreSQL, do the statements of the aggregate pages avoid scanning large tables?

    Sequential scans are priced out (``enable_seqscan = off``), so a plan that
    still scans a large table has no index it could use.
    """
    runner.invoke(seed_scale_command, ["--teams", "4", "--people", "60", "--years", "1"])
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    who = querycount.people()
    clients = {role: log_in(app.test_client(), who[role]) for role in querycount.ROLES if who[role]}
    scans, explained = [], 0
    for viewer, name, url in querycount.pages(who):
        if name not in querycount.AGGREGATE_PAGES:
            continue
        with querycount.counting(db.engine, with_parameters=True) as statements:
            assert clients[viewer].get(url).status_code == 200
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("SET enable_seqscan = off")
            for statement, parameters in statements:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + statement, parameters)
                explained += 1
                plan = "\n".join(row[0] for row in cursor.fetchall())
                for table in querycount.LARGE_TABLES:
                    if f"Seq Scan on {table} " in plan + " ":
                        scans.append((name, table, statement[:160]))
        finally:
            raw.rollback()
            raw.close()
    assert explained > 20
    assert scans == []
