"""Writing sales reps.

Each write runs in a write transaction (why: see :mod:`shopx.catalog.service`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import SalesRepresentative
from shopx.db.rows import check_unused, get_row, save_row


async def create_sales_rep(session: AsyncSession, fields: dict[str, Any]) -> SalesRepresentative:
    await _check_email(session, fields, other_than=None)
    return await save_row(session, SalesRepresentative(**fields))


async def update_sales_rep(
    session: AsyncSession, rep_id: int, fields: dict[str, Any]
) -> SalesRepresentative:
    row = await get_row(session, SalesRepresentative, rep_id)
    await _check_email(session, fields, other_than=row.id)
    return await save_row(session, row, fields)


async def _check_email(
    session: AsyncSession, fields: dict[str, Any], *, other_than: int | None
) -> None:
    if "email" in fields:
        lowered = func.lower(SalesRepresentative.email)
        await check_unused(
            session,
            SalesRepresentative,
            lowered,
            fields["email"],
            field="email",
            other_than=other_than,
        )
