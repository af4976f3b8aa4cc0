"""A clock for the session code that tests can move forward instead of sleeping."""

import time
from datetime import timedelta

import pytest


class Clock:
    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta).total_seconds()


@pytest.fixture
def clock(monkeypatch):
    """Replace the time the session code reads; ``clock.advance(minutes=31)`` moves it on."""
    from learning_hub.auth import sessions

    fake = Clock()
    monkeypatch.setattr(sessions, "time", fake)
    return fake
