"""A stored report as a file to download or send."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.reports.render import Document, Shop, csv_report, html_report
from shopx.reports.store import figures_of, period_of, report_by_id

Format = Literal["html", "csv"]


async def report_document(
    session: AsyncSession, report_id: int, extension: Format, shop: Shop
) -> Document:
    """The report ``report_id`` rendered as HTML or CSV; NotFound when there is none."""
    report = await report_by_id(session, report_id)
    render = html_report if extension == "html" else csv_report
    return render(period_of(report), figures_of(report), shop)
