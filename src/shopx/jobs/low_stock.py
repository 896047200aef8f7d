"""The ``low-stock`` job: open and close low-stock alerts, then send every alert not yet
sent (low-stock and job-failure alike) to the webhook and in one digest e-mail.

The alert bookkeeping commits before anything is sent, so a channel that is down loses
nothing: the run succeeds, its detail says what was not sent and why, and the next run
sends it. An alert is recorded as sent (``notified_at``) only once every configured channel
took it, and is never sent again in that state. Runs of a job never overlap (the runner
skips a run while another is going), so two runs do not send the same alert at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from shopx.alerts import notices
from shopx.alerts.repository import (
    OPEN_AT_ONCE,
    AlertKind,
    mark_sent,
    open_subjects,
    unsent,
    unsent_count,
)
from shopx.alerts.stock import subject_of, sweep_low_stock
from shopx.catalog.stock import low_stock_products
from shopx.config import Settings
from shopx.db.models import Alert
from shopx.db.writes import bookkeeping_session
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.notify import Email, NotificationFailed, email_configured, post_webhook, send_email

SWEEP_PART = OPEN_AT_ONCE
"""Low products swept per write (each opens its alerts in one statement)."""
BATCH = 200
"""Most alerts one run sends; the rest wait for the next run."""
SENDING_SECONDS = 120.0
"""How long a run keeps posting to the webhook before it leaves the rest for the next run:
well inside the job's timeout with a last POST and the e-mail, so what a slow receiver took
is recorded as sent rather than lost with a timed-out run and posted again."""


@dataclass(frozen=True, slots=True)
class Delivery:
    sent: int
    """Alerts that reached every configured channel."""
    waiting: int
    """Alerts still to be sent after this run."""
    error: str | None = None
    """Why a channel failed, if one did."""

    def describe(self) -> str:
        if self.error is not None:
            return f"not sent ({self.waiting} waiting for the next run): {self.error}"
        return f"sent {self.sent}" + (f", {self.waiting} waiting" if self.waiting else "")


async def low_stock(ctx: JobContext) -> JobResult:
    """Low-stock alerts opened and closed (rows: both), then alerts sent (module doc)."""
    async with ctx.sessions() as session:  # the long reads, before the writers' turns
        low = await low_stock_products(
            session, now=ctx.now, statuses=ctx.settings.revenue_statuses, limit=None
        )
        known = await open_subjects(session, AlertKind.LOW_STOCK)
    fresh = [row for row in low if subject_of(row.product.id) not in known]
    opened, closed, still_open = 0, 0, len(known)
    # A part per turn: a first sweep of a large catalog opens thousands (9,829 at M held the
    # turn for 2.2 s while the schedule caught up); each sweep checks its part again.
    for start in range(0, max(len(fresh), 1), SWEEP_PART):
        async with bookkeeping_session(ctx.sessions) as session:
            sweep = await sweep_low_stock(session, fresh[start : start + SWEEP_PART], now=ctx.now)
        opened, closed = opened + len(sweep.opened), closed + len(sweep.closed)
        still_open = sweep.still_open
    detail = f"opened {opened}, closed {closed}, still open {still_open}"
    if channels_configured(ctx.settings):
        delivery = await deliver_alerts(ctx)
        detail += f"; {delivery.describe()}"
    return JobResult(opened + closed, detail)


def channels_configured(settings: Settings) -> bool:
    return bool(settings.alert_webhook_url) or email_configured(settings)


async def deliver_alerts(ctx: JobContext) -> Delivery:
    """Send the alerts waiting: each to the webhook (stopping at its first failure), then
    those in one digest e-mail; record as sent the ones every channel took."""
    async with ctx.sessions() as session:
        waiting = list(await unsent(session, BATCH))
    if not waiting:
        return Delivery(0, 0)
    sent, error = await _post_each(ctx.settings, waiting)
    if sent:
        try:
            subject, text = notices.digest(sent, ctx.settings.shop_name)
            await send_email(ctx.settings, Email(subject, text))
        except NotificationFailed as exc:
            sent, error = [], str(exc)
    async with bookkeeping_session(ctx.sessions) as session:
        if sent:
            await mark_sent(session, sent, datetime.now(UTC))
        left = await unsent_count(session)
    return Delivery(len(sent), left, error)


async def _post_each(settings: Settings, alerts: Sequence[Alert]) -> tuple[list[Alert], str | None]:
    """The alerts the webhook took (all when none is configured; those it took within
    :data:`SENDING_SECONDS` when it is slow), and its error if any."""
    if not settings.alert_webhook_url:
        return list(alerts), None
    posted: list[Alert] = []
    stop_at = time.monotonic() + SENDING_SECONDS
    for alert in alerts:
        if time.monotonic() >= stop_at:
            break
        try:
            await post_webhook(settings, notices.webhook_payload(alert))
        except NotificationFailed as exc:
            return posted, str(exc)
        posted.append(alert)
    return posted, None
