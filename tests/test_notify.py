"""E-mail and webhook delivery of alerts and reports, against local servers."""

from __future__ import annotations

import asyncio

import pytest

from shopx.config import Settings
from shopx.jobs.notify import (
    Attachment,
    Email,
    NotificationFailed,
    post_webhook,
    send_email,
)
from tests.notifications import free_port, smtp_server, tarpit_server, webhook_server

REPORT = Email(
    subject="Daily report\r\nBcc: everyone@example.com",
    text="Revenue 1,234.56",
    html="<p>Revenue <b>1,234.56</b></p>",
    attachments=(Attachment("daily.csv", b"metric,value\nrevenue,123456\n"),),
)


async def test_nothing_is_sent_when_nothing_is_configured() -> None:
    assert await send_email(Settings(), REPORT) is False
    assert await post_webhook(Settings(), {"kind": "low_stock"}) is False


async def test_an_email_reaches_every_recipient_with_its_parts() -> None:
    with smtp_server() as (url, inbox):
        settings = Settings(smtp_url=url, mail_to="owner@shop.test, analyst@shop.test")  # type: ignore[arg-type]
        assert await send_email(settings, REPORT) is True
    [message] = inbox.messages
    assert message["To"] == "owner@shop.test, analyst@shop.test"
    # The line break in the subject did not become a header of its own.
    assert message["Subject"] == "Daily report Bcc: everyone@example.com"
    assert message["Bcc"] is None
    assert message.get_body(("plain",)).get_content().strip() == "Revenue 1,234.56"
    assert "<b>1,234.56</b>" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "daily.csv"
    assert attachment.get_payload(decode=True) == b"metric,value\nrevenue,123456\n"


async def test_without_recipients_no_email_is_sent() -> None:
    with smtp_server() as (url, inbox):
        assert await send_email(Settings(smtp_url=url), REPORT) is False  # type: ignore[arg-type]
    assert inbox.messages == []


async def test_an_unreachable_smtp_server_is_a_failure_not_a_silence() -> None:
    settings = Settings(smtp_url=f"smtp://127.0.0.1:{free_port()}", mail_to="o@shop.test")  # type: ignore[arg-type]
    with pytest.raises(NotificationFailed, match="e-mail not sent"):
        await send_email(settings, REPORT)


async def test_a_webhook_gets_the_payload_as_json() -> None:
    with webhook_server() as (url, hooks):
        sent = await post_webhook(Settings(alert_webhook_url=url), {"kind": "low_stock", "id": 7})
    assert sent is True
    assert hooks.received == [{"kind": "low_stock", "id": 7}]


async def test_a_webhook_answering_an_error_is_a_failure() -> None:
    with webhook_server() as (url, hooks):
        hooks.status = 500
        with pytest.raises(NotificationFailed, match="answered 500"):
            await post_webhook(Settings(alert_webhook_url=url), {"kind": "low_stock"})


async def test_an_unreachable_webhook_is_a_failure() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    with pytest.raises(NotificationFailed, match="not reached"):
        await post_webhook(Settings(alert_webhook_url=url), {"kind": "low_stock"})


async def test_a_webhook_that_never_finishes_its_answer_fails_within_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A receiver that sends a byte now and then keeps every read under httpx's per-read
    timeout: the whole POST must still end, or it held the low-stock run until the job's
    own timeout (5 minutes) and every alert stayed unsent."""
    monkeypatch.setattr("shopx.jobs.notify.TIMEOUT_SECONDS", 1.0)
    with webhook_server() as (url, hooks):
        hooks.status, hooks.drip = 200, True
        with pytest.raises(NotificationFailed, match="no complete answer within 1 s"):
            await asyncio.wait_for(
                post_webhook(Settings(alert_webhook_url=url), {"kind": "low_stock"}), 30
            )
    assert hooks.received == [{"kind": "low_stock"}]


async def test_a_mail_server_that_never_finishes_its_greeting_fails_within_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """smtplib's timeout bounds each read: a server sending a byte now and then held the
    sending job until its own timeout (and its thread for as long as the server liked)."""
    monkeypatch.setattr("shopx.jobs.notify.TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr("shopx.jobs.notify.EMAIL_SECONDS", 1.0)
    with tarpit_server() as port:
        settings = Settings(smtp_url=f"smtp://127.0.0.1:{port}", mail_to="o@shop.test")  # type: ignore[arg-type]
        with pytest.raises(NotificationFailed, match="no answer within 1 s"):
            await asyncio.wait_for(send_email(settings, REPORT), 30)
