"""A clock for the session code that tests can move forward instead of sleeping."""

import email
import email.policy
import socket
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


class SmtpSink:
    """What a real local SMTP server (aiosmtpd) received, as e-mail messages."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]

    def to(self, address):
        """The messages sent to ``address``."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_sink(app):
    """A real SMTP server on a free local port, with the app's mail settings pointed at it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield sink
    controller.stop()
