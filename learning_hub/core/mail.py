"""Outgoing mail through the configured SMTP server (nothing is sent when none is set)."""

import logging
import smtplib
from email.message import EmailMessage

from flask import after_this_request, current_app

log = logging.getLogger(__name__)


def is_configured():
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to, subject, body):
    """Send a plain-text message; True when handed to the SMTP server."""
    config = current_app.config
    if not is_configured():
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail %r", subject)
        return False
    return True


def send_after_response(to, subject, body):
    """Send once the response has gone to the client, not before; True when one will be sent.

    For answers that must not depend on whether a message was sent (a password reset is
    answered alike for every address): the SMTP conversation's time never shows.
    """
    if not is_configured():
        return False
    app = current_app._get_current_object()

    @after_this_request
    def _send_on_close(response):
        def deliver():
            with app.app_context():
                send(to, subject, body)

        response.call_on_close(deliver)
        return response

    return True
