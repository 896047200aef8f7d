"""Telling people: e-mail through ``SHOPX_SMTP_URL`` and a JSON POST to
``SHOPX_ALERT_WEBHOOK_URL``.

Both are optional: unconfigured, :func:`send_email` and :func:`post_webhook` return False
and do nothing. Configured but failing (server down, refused, a non-2xx answer), they raise
:class:`NotificationFailed`, so the job that called them is recorded failed and runs again;
each is bounded: a webhook's whole POST, answer included, by :data:`TIMEOUT_SECONDS`, an
e-mail's whole exchange by :data:`EMAIL_SECONDS`.
E-mail goes through the standard library's ``smtplib`` in a thread: ``smtp://`` upgrades
with STARTTLS when the server offers it, ``smtps://`` is TLS from the start; a user and
password in the URL log in.
"""

from __future__ import annotations

import asyncio
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from shopx.config import Settings

TIMEOUT_SECONDS = 10.0
EMAIL_SECONDS = 60.0
"""Most seconds one e-mail's whole SMTP exchange may take (each read has TIMEOUT_SECONDS)."""


class NotificationFailed(Exception):
    """A configured channel did not take the message."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "text/csv"


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str | None = None
    attachments: Sequence[Attachment] = field(default_factory=tuple)


def email_configured(settings: Settings) -> bool:
    return settings.smtp_url is not None and bool(settings.mail_to)


async def send_email(settings: Settings, email: Email) -> bool:
    """Send ``email`` to ``SHOPX_MAIL_TO``; False when e-mail is not configured."""
    if not email_configured(settings):
        return False
    message = _message(settings, email)
    assert settings.smtp_url is not None
    url = settings.smtp_url.get_secret_value()
    exchange, limit = _Exchange(), asyncio.timeout(EMAIL_SECONDS)
    try:
        async with limit:
            await asyncio.to_thread(_deliver, url, message, exchange)
    except (OSError, smtplib.SMTPException) as exc:  # TimeoutError is an OSError
        if limit.expired():
            exchange.cut_short()
            raise NotificationFailed(
                f"e-mail not sent: no answer within {EMAIL_SECONDS:g} s from the mail server"
            ) from None
        raise NotificationFailed(f"e-mail not sent: {type(exc).__name__}: {exc}") from exc
    return True


class _Exchange:
    """The SMTP client of one e-mail, so that the event loop can end an exchange that
    outlived :data:`EMAIL_SECONDS`: smtplib bounds each read, not the whole exchange, and
    its thread cannot be cancelled. Shutting the socket down makes that thread's next read
    fail."""

    def __init__(self) -> None:
        self.client: smtplib.SMTP | None = None

    def cut_short(self) -> None:
        sock = getattr(self.client, "sock", None)
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


async def post_webhook(settings: Settings, payload: Mapping[str, Any]) -> bool:
    """POST ``payload`` as JSON to ``SHOPX_ALERT_WEBHOOK_URL``; False when none is set."""
    if not settings.alert_webhook_url:
        return False
    try:
        # httpx's timeout bounds each read, not the answer: a receiver sending a byte now
        # and then would hold the run for as long as it likes.
        async with (
            asyncio.timeout(TIMEOUT_SECONDS),
            httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client,
        ):
            answer = await client.post(settings.alert_webhook_url, json=dict(payload))
    except httpx.HTTPError as exc:
        raise NotificationFailed(f"webhook not reached: {type(exc).__name__}: {exc}") from exc
    except TimeoutError:
        raise NotificationFailed(
            f"webhook gave no complete answer within {TIMEOUT_SECONDS:g} s"
        ) from None
    if not answer.is_success:
        raise NotificationFailed(f"webhook answered {answer.status_code}")
    return True


def _one_line(text: str) -> str:
    """A header value: no line breaks (they would start a header of the sender's choosing)."""
    return " ".join(text.split())


def _message(settings: Settings, email: Email) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = _one_line(email.subject)
    message["From"] = _one_line(settings.mail_from)
    message["To"] = ", ".join(_one_line(to) for to in settings.mail_to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="shopx")
    message.set_content(email.text)
    if email.html is not None:
        message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        main, _, sub = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=main, subtype=sub, filename=attachment.filename
        )
    return message


def _deliver(url: str, message: EmailMessage, exchange: _Exchange) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise smtplib.SMTPException(
            f"SHOPX_SMTP_URL must be smtp:// or smtps://, not {parts.scheme}://"
        )
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(timeout=TIMEOUT_SECONDS)
    exchange.client = client
    with client:
        client.connect(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 587))
        client.ehlo()
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
