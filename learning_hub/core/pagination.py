"""Paging: one page type, one paginator that takes the page number, and the ?page= check."""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from learning_hub.core import site
from learning_hub.core.database import read
from learning_hub.core.extensions import db

RESPONSES_PER_PAGE = 20


@dataclass
class Page:
    """One page of a list: its items, its number, and how many there are in all.

    It answers what the pager macro asks (``has_prev``, ``next_num``, ``pages``, ...),
    as Flask-SQLAlchemy's pagination does. There is always at least one page, empty
    when the list is.
    """

    items: list
    page: int
    per_page: int
    total: int

    @classmethod
    def of_list(cls, items, page, per_page):
        """Page ``page`` of ``items``, a list loaded anyway, or the nearest page there is.

        The case page needs every timeline entry for its chart and spells, but its
        table shows them a page at a time.
        """
        total = len(items)
        page = min(max(page, 1), max(1, -(-total // per_page)))
        start = (page - 1) * per_page
        return cls(items[start : start + per_page], page, per_page, total)

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

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

    def __iter__(self):
        return iter(self.items)


class Listing:
    """A select read a page at a time, with the two statements that read it: a page of it
    (bound parameters ``page_limit`` and ``page_offset``) and a count of all it returns.

    A list that is the same select on every request is a module-level ``Listing``, so
    both statements are built once and SQLAlchemy keeps their compiled SQL, as for any
    statement constant; ``paginate`` makes one on the spot for a select whose shape
    depends on the request (a filter the person chose).
    """

    def __init__(self, statement):
        self.statement = statement
        self.page = statement.limit(sa.bindparam("page_limit")).offset(sa.bindparam("page_offset"))
        self.count = sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())


def paginate(statement, page, per_page, *, params=None, rows=False):
    """Page ``page`` (from 1) of what the select ``statement`` (or a ``Listing``) returns,
    with its total.

    The items are the objects it selects, or with ``rows`` its rows (for a select of
    columns, read with ``database.read``, without the ORM's result setup). ``params``
    are the values of its bound parameters. A page past the end is empty and keeps its
    number, so its pager leads back.

    Two statements, the page and the count, as Flask-SQLAlchemy's ``db.paginate``
    runs; that one returns only the first column of a row, and the long lists here
    are selects of columns.
    """
    listing = statement if isinstance(statement, Listing) else Listing(statement)
    page = max(page, 1)
    params = params or {}
    run = read if rows else db.session.execute
    found = run(
        listing.page, {**params, "page_limit": per_page, "page_offset": (page - 1) * per_page}
    )
    items = found.all() if rows else found.unique().scalars().all()
    total = read(listing.count, params).scalar_one()
    return Page(items, page, per_page, total)


def responses_page(model, reflection_id, page):
    """Page ``page`` of the ``model`` responses to a reflection, oldest first, with their
    authors."""
    return paginate(
        db.select(model)
        .where(model.reflection_id == reflection_id)
        .options(db.joinedload(model.author))
        .order_by(model.created_at, model.id),
        page,
        RESPONSES_PER_PAGE,
    )


def last_responses_page(model, reflection_id):
    """The page a newly added response is on, or None when that is the first page."""
    count = db.session.scalar(
        db.select(db.func.count(model.id)).where(model.reflection_id == reflection_id)
    )
    last = -(-count // RESPONSES_PER_PAGE)
    return last if last > 1 else None


MAX_PAGE = 1_000_000
_PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


# Every query parameter that names a page of a list: ``?page=`` and the case timeline's.
PAGE_ARGUMENTS = ("page", "entries_page")


def refuse_impossible_pages():
    """``?page=`` must be a page number from 1: anything else is refused (400), not a crash.

    Views read the page number with ``request.args.get("page", 1, type=int)`` and pass
    it to ``paginate``; a number past what the database can hold would otherwise reach
    it as an offset.
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
