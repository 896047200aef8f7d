"""The ``reports`` job: a report for each closed day, ISO week and month, e-mailed once.

A run stores a report for every period :func:`shopx.reports.periods.due_periods` names
that has none yet (periods ending before the shop's first order are left out). A report
already stored is left alone unless the data changed since its figures were computed (the
database's write counter moved): a refund or a late order counts against its order's own
date, so a past period's figures can change, and for as long as the period is within the
catch-up bound its report follows the API's answer. Older reports stay as they were.

With e-mail configured (``SHOPX_SMTP_URL`` and ``SHOPX_MAIL_TO``) each report of the window
not yet sent is e-mailed, HTML body and CSV attached, and ``sent_at`` is set once the SMTP
server took it; a refreshed report is not sent again. A failed send stops the sending for
this run (the server is likely down), and the next run tries again; the run's detail says
so. Reports are bookkeeping rather than data (no cached answer is made of them), so they
are written without moving the write counter their own freshness is judged by.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shopx.analytics.reporting import ReportingRules
from shopx.config import Settings
from shopx.db.data_version import data_version
from shopx.db.models import Report
from shopx.db.writes import bookkeeping_session
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.notify import Attachment, Email, NotificationFailed, email_configured, send_email
from shopx.reports.figures import compute_figures
from shopx.reports.periods import ReportPeriod, due_periods
from shopx.reports.render import Shop, csv_report, html_report, text_report, title
from shopx.reports.store import figures_of, first_order_at, period_of, stored_for

log = logging.getLogger("shopx.jobs")


async def _store(
    sessions: async_sessionmaker[AsyncSession],
    period: ReportPeriod,
    stored: Report | None,
    rules: ReportingRules,
    version: int,
) -> str | None:
    """Store or refresh the report of ``period``: "stored", "refreshed" or None (unchanged)."""
    if stored is not None and figures_of(stored).data_version == version:
        return None
    figures = await compute_figures(sessions, period.span(rules.tz), rules, version)
    async with bookkeeping_session(sessions) as session:
        if stored is None:
            session.add(
                Report(
                    kind=period.kind.value,
                    period_start=period.first,
                    period_end=period.end,
                    figures=figures.to_json(),
                )
            )
            return "stored"
        row = await session.get_one(Report, stored.id)
        changed = not figures_of(row).same_figures(figures)
        row.figures = figures.to_json()
        return "refreshed" if changed else None


async def _send(settings: Settings, report: Report) -> None:
    period, figures, shop = period_of(report), figures_of(report), Shop.of(settings)
    html = html_report(period, figures, shop)
    csv = csv_report(period, figures, shop)
    await send_email(
        settings,
        Email(
            subject=title(period, shop),
            text=text_report(period, figures, shop),
            html=html.content.decode(),
            attachments=(Attachment(csv.filename, csv.content),),
        ),
    )


async def _mail(ctx: JobContext, periods: list[ReportPeriod]) -> str:
    """E-mail the reports of ``periods`` not sent yet, the earliest ending first; says what
    happened."""
    async with ctx.sessions() as session:
        unsent = [
            row for row in (await stored_for(session, periods)).values() if row.sent_at is None
        ]
    unsent.sort(key=lambda row: (row.period_end, row.period_start))
    for done, report in enumerate(unsent):
        try:
            await _send(ctx.settings, report)
        except NotificationFailed as exc:
            log.warning("report e-mail failed: %s", exc)
            left = len(unsent) - done
            return f"e-mailed {done}; {left} not sent, retried next run ({exc})"
        async with bookkeeping_session(ctx.sessions) as session:
            row = await session.get_one(Report, report.id)
            row.sent_at = datetime.now(UTC)
    return f"e-mailed {len(unsent)}"


async def reports(ctx: JobContext) -> JobResult:
    """Store (or refresh) the reports of the due periods, then e-mail the unsent ones;
    rows: reports stored or whose figures changed."""
    rules = ReportingRules.of(ctx.settings)
    periods = due_periods(ctx.now, rules.tz)
    async with ctx.sessions() as session:
        version = await data_version(session)
        first = await first_order_at(session)
        stored = await stored_for(session, periods)
    periods = [p for p in periods if first is not None and p.span(rules.tz).end > first]
    done: dict[str, list[str]] = {"stored": [], "refreshed": []}
    for period in periods:
        outcome = await _store(ctx.sessions, period, stored.get(period), rules, version)
        if outcome is not None:
            done[outcome].append(f"{period.kind.value} {period.label}")
    parts = [
        f"{what} {len(names)}" + (f" ({', '.join(names)})" if names else "")
        for what, names in done.items()
    ]
    if email_configured(ctx.settings):
        parts.append(await _mail(ctx, periods))
    return JobResult(len(done["stored"]) + len(done["refreshed"]), "; ".join(parts))
