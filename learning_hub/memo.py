"""A small per-process memo with a time limit, for aggregates that may be a minute old.

Leaders' monthly aggregates over hundreds of people do not change meaningfully
from one second to the next; recomputing them on every view is the single most
expensive thing the site does. Only plain values (tuples, numbers, dicts) are
kept, never ORM objects, so nothing crosses from one request's session to
another. ``AGGREGATE_CACHE_SECONDS = 0`` (as in testing) turns it off.
"""

import functools
import threading
import time
from collections import OrderedDict

from flask import current_app, request

_lock = threading.Lock()


def aggregate_memo(function):
    """Remember ``function(*args)`` for AGGREGATE_CACHE_SECONDS; args must be hashable."""
    store = {}

    @functools.wraps(function)
    def wrapper(*args):
        seconds = current_app.config["AGGREGATE_CACHE_SECONDS"]
        if seconds <= 0:
            return function(*args)
        key = (current_app.config["SQLALCHEMY_DATABASE_URI"], args)
        now = time.monotonic()
        with _lock:
            hit = store.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = function(*args)
        with _lock:
            if len(store) > 256:
                store.clear()
            store[key] = (now + seconds, value)
        return value

    wrapper.cache_clear = store.clear
    return wrapper


def versioned_memo(function=None, *, limit_setting="PERSONAL_MEMO_ENTRIES"):
    """Remember ``function(version, *args)`` for as long as ``version`` stays the same.

    For a person's own derived figures (their drift over the months): the caller
    reads a cheap version of the rows the figures come from (a count and the
    latest change) and passes it first, so a new self-check changes the key and
    the figures are computed afresh, with no time limit and no staleness. Plain
    values only, as above. ``PERSONAL_MEMO_ENTRIES = 0`` (as in testing) turns it
    off; past that many entries the one used longest ago is forgotten, so the
    entries in use stay. ``limit_setting`` names another setting to size it by
    (``@versioned_memo(limit_setting=...)``).
    """
    if function is None:
        return functools.partial(versioned_memo, limit_setting=limit_setting)
    store = _Kept()

    @functools.wraps(function)
    def wrapper(version, *args):
        limit = current_app.config[limit_setting]
        if limit <= 0:
            return function(version, *args)
        key = (current_app.config["SQLALCHEMY_DATABASE_URI"], version, args)
        hit = store.get(key)
        if hit is not None:
            return hit
        return store.put(key, function(version, *args), limit)

    wrapper.cache_clear = store.clear
    return wrapper


class _Kept:
    """The entries of one memo, the one used longest ago forgotten first past a limit."""

    def __init__(self):
        self._entries = OrderedDict()

    def __len__(self):
        return len(self._entries)

    def get(self, key):
        """The value kept for ``key``, or None; TypeError for an unhashable key."""
        with _lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def put(self, key, value, limit):
        with _lock:
            self._entries[key] = value
            while len(self._entries) > limit:
                self._entries.popitem(last=False)
        return value

    def clear(self):
        with _lock:
            self._entries.clear()


_fragments = _Kept()


def fragment(key, template, macro, *args):
    """The HTML of ``macro`` in ``template`` called with ``args``, drawn once for ``key``.

    For the parts of a page that are the same for everyone who sees the same rows:
    a team's page of cases, a list of one's own reflections. ``key`` holds every
    value the HTML shows (usually the rows themselves, which are plain values), so
    a change to any of them draws it afresh: there is nothing to invalidate and
    nothing to go stale. The macro must show nothing of the request (no form
    tokens, no viewer); the script root, which its links depend on, is part of
    the key. Past ``FRAGMENT_MEMO_ENTRIES`` the one used longest ago is forgotten;
    0 turns it off. An unhashable key (a row holding a list) is drawn every time,
    as is everything while templates reload on change.
    """
    app = current_app
    limit = app.config["FRAGMENT_MEMO_ENTRIES"]
    if limit <= 0 or app.jinja_env.auto_reload:
        return _draw(template, macro, args)
    full_key = (request.script_root, template, macro, key)
    try:
        hit = _fragments.get(full_key)
    except TypeError:
        return _draw(template, macro, args)
    if hit is not None:
        return hit
    return _fragments.put(full_key, _draw(template, macro, args), limit)


fragment.cache_clear = _fragments.clear


def frozen(rows):
    """``rows`` as a key for ``fragment``: each row a tuple, its lists (JSON columns) tuples."""
    return tuple(tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows)


def _draw(template, macro, args):
    return getattr(current_app.jinja_env.get_template(template).module, macro)(*args)
