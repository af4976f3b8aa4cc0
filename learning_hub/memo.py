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

from flask import current_app

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
