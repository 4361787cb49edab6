"""Mail through the company's SMTP server, as configured in kam.config."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from kam.config import Settings

TLS_MODES = ("starttls", "ssl", "none")
TIMEOUT = 60


class MailError(Exception):
    """The mail server is not configured or refused; str() says why."""


def check(policy: Settings) -> None:
    """Refuse settings that cannot send: no host or sender, or an unknown TLS mode."""
    if not policy.smtp_host or not policy.smtp_sender:
        raise MailError("No mail server configured (smtp_host and smtp_sender in kam.toml or KAM_SMTP_*).")
    if policy.smtp_tls not in TLS_MODES:
        raise MailError(f"smtp_tls is {policy.smtp_tls!r}; expected one of {', '.join(TLS_MODES)}.")


def send(policy: Settings, messages: list[EmailMessage]) -> None:
    """Send the messages over one connection to the configured server."""
    check(policy)
    try:
        if policy.smtp_tls == "ssl":
            server = smtplib.SMTP_SSL(
                policy.smtp_host, policy.smtp_port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(policy.smtp_host, policy.smtp_port, timeout=TIMEOUT)
        with server:
            if policy.smtp_tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if policy.smtp_user:
                server.login(policy.smtp_user, policy.smtp_password)
            for message in messages:
                server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"The mail server {policy.smtp_host}:{policy.smtp_port} refused: {error}") from error
