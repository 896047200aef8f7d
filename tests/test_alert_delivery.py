"""Sending alerts: each opening and closing reaches the webhook once and one digest e-mail
per run, against local servers; a channel that is down loses nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from shopx.alerts import notices
from shopx.alerts.repository import (
    AlertKind,
    NewAlert,
    close_alerts,
    mark_sent,
    open_alert,
    unsent,
)
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Alert, Product
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.registry import JOBS, Job
from shopx.jobs.runner import run_job
from tests import factories as make
from tests.notifications import smtp_server, webhook_server


def settings(database_url: str, **extra: Any) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32, **extra)


async def low_products(engine, count: int) -> list[Product]:
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session)
        return [
            await make.product(session, category=gear, stock=2, reorder_level=5)
            for _ in range(count)
        ]


async def restock(engine, product: Product) -> None:
    async with session_factory(engine)() as session, session.begin():
        await session.execute(
            update(Product).where(Product.id == product.id).values(stock_quantity=50)
        )


async def stored(engine) -> list[Alert]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(Alert).order_by(Alert.id)))


async def sweep(engine, config: Settings) -> str:
    record = await run_job("low-stock", "schedule", engine, config)
    assert record.outcome == "succeeded", record.error
    return record.detail or ""


async def test_each_new_and_closed_alert_reaches_the_webhook_once_and_one_digest_per_run(
    engine, database_url
):
    boot, cap = await low_products(engine, 2)
    with smtp_server() as (smtp_url, inbox), webhook_server() as (hook_url, hooks):
        config = settings(
            database_url, smtp_url=smtp_url, mail_to="owner@shop.test", alert_webhook_url=hook_url
        )
        assert (await sweep(engine, config)).endswith("; sent 2")
        alerts = await stored(engine)
        assert [hook["subject"] for hook in hooks.received] == [
            f"product:{boot.id}",
            f"product:{cap.id}",
        ]
        first = hooks.received[0]
        assert first == {
            "id": alerts[0].id,
            "event": "opened",
            "kind": "low_stock",
            "subject": f"product:{boot.id}",
            "message": alerts[0].message,
            "opened_at": alerts[0].opened_at.isoformat(),
            "closed_at": None,
            "product_id": boot.id,
        }
        [digest] = inbox.messages
        assert digest["Subject"] == "ShopX alerts: 2 new"
        body = digest.get_body(("plain",)).get_content().replace("\r\n", "\n")
        assert body.startswith("New alerts (2):\n- [low stock] ")
        assert alerts[0].message in body and alerts[1].message in body
        assert all(alert.notified_at is not None for alert in alerts)

        assert (await sweep(engine, config)).endswith("; sent 0")
        assert (len(hooks.received), len(inbox.messages)) == (2, 1)

        await restock(engine, cap)
        assert "closed 1" in await sweep(engine, config)
        closing = hooks.received[2:]
        assert [(hook["event"], hook["subject"]) for hook in closing] == [
            ("closed", f"product:{cap.id}")
        ]
        assert closing[0]["closed_at"] is not None
        assert inbox.messages[1]["Subject"] == "ShopX alerts: 1 closed"
        closed = next(alert for alert in await stored(engine) if alert.product_id == cap.id)
        assert closed.notified_at is not None and closed.notified_at >= closed.closed_at
        await sweep(engine, config)
        assert (len(hooks.received), len(inbox.messages)) == (3, 2)


async def test_a_down_webhook_leaves_alerts_unsent_and_the_next_run_sends_them(
    engine, database_url
):
    await low_products(engine, 2)
    with smtp_server() as (smtp_url, inbox), webhook_server() as (hook_url, hooks):
        config = settings(
            database_url, smtp_url=smtp_url, mail_to="owner@shop.test", alert_webhook_url=hook_url
        )
        hooks.status = 503
        detail = await sweep(engine, config)
        assert detail == (
            "opened 2, closed 0, still open 2;"
            " not sent (2 waiting for the next run): webhook answered 503"
        )
        # The first refusal stops the run's posting; no e-mail without the webhook.
        assert (len(hooks.received), inbox.messages) == (1, [])
        assert [alert.notified_at for alert in await stored(engine)] == [None, None]

        hooks.status, hooks.received = 204, []
        assert await sweep(engine, config) == "opened 0, closed 0, still open 2; sent 2"
        alerts = await stored(engine)
        assert sorted(hook["id"] for hook in hooks.received) == [alert.id for alert in alerts]
        assert len(inbox.messages) == 1
        assert all(alert.notified_at is not None for alert in alerts)


async def test_a_down_mail_server_leaves_alerts_unsent(engine, database_url):
    await low_products(engine, 1)
    with smtp_server() as (smtp_url, inbox):
        pass
    config = settings(database_url, smtp_url=smtp_url, mail_to="owner@shop.test")
    detail = await sweep(engine, config)
    assert "not sent (1 waiting for the next run): e-mail not sent" in detail
    [alert] = await stored(engine)
    assert alert.notified_at is None
    with smtp_server() as (smtp_url, inbox):
        config = settings(database_url, smtp_url=smtp_url, mail_to="owner@shop.test")
        assert (await sweep(engine, config)).endswith("; sent 1")
    assert len(inbox.messages) == 1


async def test_job_failure_alerts_are_sent_by_the_next_low_stock_run(engine, database_url):
    async def broken(ctx: JobContext) -> JobResult:
        raise RuntimeError("disk on fire")

    jobs = {"broken": Job("broken", broken, "off", "analytics", 60, "fails on purpose")}
    with webhook_server() as (hook_url, hooks):
        config = settings(database_url, alert_webhook_url=hook_url)
        failed = await run_job("broken", "schedule", engine, config, jobs=jobs)
        assert failed.outcome == "failed"
        assert (await sweep(engine, config)).endswith("; sent 1")
    [hook] = hooks.received
    assert (hook["kind"], hook["subject"], hook["product_id"], hook["message"]) == (
        "job_failed",
        "job:broken",
        None,
        "job broken failed: RuntimeError: disk on fire",
    )


async def test_nothing_is_sent_or_marked_without_a_channel(engine, database_url):
    await low_products(engine, 1)
    assert await sweep(engine, settings(database_url)) == "opened 1, closed 0, still open 1"
    [alert] = await stored(engine)
    assert alert.notified_at is None


async def test_a_closing_around_the_sending_of_an_opening_is_sent_too(engine, database_url):
    """Closed after its opening was read for sending: not marked sent. Closed after it was
    marked: unsent again. Either way the closing goes out next."""
    now = datetime.now(UTC)
    sessions = session_factory(engine)
    for close_first in (True, False):
        subject = f"job:close-first-{close_first}"
        async with sessions() as session, session.begin():
            alert = NewAlert(AlertKind.JOB_FAILED, subject, "failed")
            alert_id = await open_alert(session, alert, now)
        async with sessions() as session:
            [read] = [row for row in await unsent(session, 10) if row.id == alert_id]
        async with sessions() as session, session.begin():
            if close_first:
                assert await close_alerts(
                    session, AlertKind.JOB_FAILED, Alert.subject == subject, now
                ) == [alert_id]
                assert await mark_sent(session, [read], now) == 0
            else:
                assert await mark_sent(session, [read], now) == 1
                await close_alerts(session, AlertKind.JOB_FAILED, Alert.subject == subject, now)
        async with sessions() as session:
            [again] = [row for row in await unsent(session, 10) if row.id == alert_id]
        assert again.closed_at is not None and notices.event_of(again) == "closed"


async def test_a_slow_webhook_gets_what_fits_in_a_run_once_and_the_rest_later(
    engine, database_url, monkeypatch
):
    """Each POST answered, slowly: the run posts for a bounded time, records those as sent
    and leaves the rest for the next run. Posting them all ran the job into its timeout:
    recorded timed_out, nothing marked sent, and the next run posted the same ones again."""
    monkeypatch.setattr("shopx.jobs.low_stock.SENDING_SECONDS", 1.0)
    jobs = {"low-stock": replace(JOBS["low-stock"], timeout=4)}
    await low_products(engine, 24)
    with webhook_server() as (hook_url, hooks):
        hooks.pause = 0.25
        config = settings(database_url, alert_webhook_url=hook_url)
        details = []
        for _ in range(24):
            record = await run_job("low-stock", "schedule", engine, config, jobs=jobs)
            assert record.outcome == "succeeded", record.error
            details.append(record.detail)
            if not record.detail.endswith(" waiting"):
                break
    alerts = await stored(engine)
    assert "waiting" in details[0]
    assert sorted(hook["id"] for hook in hooks.received) == [alert.id for alert in alerts]
    assert all(alert.notified_at is not None for alert in alerts)
