"""Stored reports: reading them by period, by id and as a list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Order, Report
from shopx.errors import NotFound
from shopx.reports.figures import Figures
from shopx.reports.periods import ReportKind, ReportPeriod


def period_of(report: Report) -> ReportPeriod:
    return ReportPeriod(ReportKind(report.kind), report.period_start, report.period_end)


def figures_of(report: Report) -> Figures:
    return Figures.of(report.figures)


async def stored_for(
    session: AsyncSession, periods: Iterable[ReportPeriod]
) -> dict[ReportPeriod, Report]:
    """The stored reports of ``periods``, by period (a period without one is left out)."""
    keys = [(period.kind.value, period.first) for period in periods]
    if not keys:
        return {}
    rows = await session.scalars(
        select(Report).where(tuple_(Report.kind, Report.period_start).in_(keys))
    )
    return {period_of(row): row for row in rows}


async def first_order_at(session: AsyncSession) -> datetime | None:
    """When the shop's first order was placed: no report covers a period before it."""
    return await session.scalar(select(func.min(Order.ordered_at)))


async def report_by_id(session: AsyncSession, report_id: int) -> Report:
    report = await session.get(Report, report_id)
    if report is None:
        raise NotFound(f"no report {report_id}")
    return report


def reports_of(kind: ReportKind | None) -> Select[tuple[Report]]:
    """Every stored report, or those of ``kind``."""
    query = select(Report)
    return query if kind is None else query.where(Report.kind == kind.value)
