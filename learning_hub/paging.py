"""Paging: responses to a reflection (module or case), lists already in memory, ?page= checks."""

import functools
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from learning_hub import site
from learning_hub.database import on_postgresql, read
from learning_hub.extensions import db

RESPONSES_PER_PAGE = 20


def responses_page(model, reflection_id):
    """The requested page (``?page=``) of ``model`` responses, with their authors."""
    return db.paginate(
        db.select(model)
        .where(model.reflection_id == reflection_id)
        .options(db.joinedload(model.author))
        .order_by(model.created_at, model.id),
        per_page=RESPONSES_PER_PAGE,
        error_out=False,
    )


def last_responses_page(model, reflection_id):
    """The page a newly added response is on, or None when that is the first page."""
    count = db.session.scalar(
        db.select(db.func.count(model.id)).where(model.reflection_id == reflection_id)
    )
    last = -(-count // RESPONSES_PER_PAGE)
    return last if last > 1 else None


@dataclass
class ListPage:
    """One page of a list the page has loaded anyway, shaped like Flask-SQLAlchemy's pages.

    The case page needs every timeline entry for its chart and spells, but its
    table shows them a page at a time, so the rendering cost stays flat however
    long the history grows.
    """

    items: list
    page: int
    pages: int
    total: int

    @classmethod
    def at(cls, items, per_page, page):
        """Page ``page`` of ``items``, or the nearest page there is."""
        total = len(items)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        start = (page - 1) * per_page
        return cls(items[start : start + per_page], page, pages, total)

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self):
        return self.page + 1 if self.has_next else None


@functools.cache
def _paged(statement):
    """The statements that page ``statement`` (built once, cached with it): the page
    alone, the page with the whole list's length on every row as a window count,
    and the count by itself."""
    page = statement.limit(sa.bindparam("_per_page")).offset(sa.bindparam("_offset"))
    windowed = (
        statement.add_columns(sa.func.count().over().label("_page_total"))
        .limit(sa.bindparam("_per_page"))
        .offset(sa.bindparam("_offset"))
    )
    count = sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    return page, windowed, count


def statement_page(statement, params, per_page, arg="page", *, rows=False):
    """The requested page (``?arg=``) of ``statement``, a statement built once.

    Like ``db.paginate`` (the same page object, the same total, an empty page past
    the end), but its statements are built once per statement rather than on every
    view, and take bound ``params``. With ``rows``, the items are the statement's
    rows rather than objects.

    On PostgreSQL the page and the total come back together, the total as a window
    count on every row: a second statement would cost a round trip to the server.
    On SQLite, where a statement costs no round trip, the page and the count stay
    two statements, because a window count makes SQLite read every row of the list
    before it can return the first page, while the page alone stops at its limit.
    """
    page = max(request.args.get(arg, 1, type=int), 1)
    page_statement, windowed_statement, count_statement = _paged(statement)
    bound = {**params, "_per_page": per_page, "_offset": (page - 1) * per_page}
    windowed = on_postgresql()
    statement = windowed_statement if windowed else page_statement
    if rows:
        found = read(statement, bound).all()
    else:
        found = db.session.execute(statement, bound).unique().all()
    if windowed and found:
        total = found[0][-1]
    elif windowed and page == 1:
        total = 0
    else:
        total = read(count_statement, params).scalar()
    items = found if rows else [row[0] for row in found]
    return ListPage(items, page, max(1, -(-total // per_page)), total)


MAX_PAGE = 1_000_000
_PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


# Every query parameter that names a page of a list: ``?page=`` and the case timeline's.
PAGE_ARGUMENTS = ("page", "entries_page")


def refuse_impossible_pages():
    """``?page=`` must be a page number from 1: anything else is refused (400), not a crash.

    Every list pages through ``db.paginate``, which reads ``?page=`` itself; a number
    past what the database can hold would otherwise reach it as an offset.
    """
    args = request.args
    if not args:
        return None
    raws = [args[name] for name in PAGE_ARGUMENTS if name in args]
    if all(_PAGE_NUMBER.fullmatch(raw) and 1 <= int(raw) <= MAX_PAGE for raw in raws):
        return None
    return site.refuse(
        400,
        (
            "That page number does not exist",
            "Page numbers are whole numbers from 1 upwards. Go back to the list and "
            "use its Next and Previous links.",
        ),
    )
