"""Writing customers.

Each write runs in a write transaction (why: see :mod:`shopx.catalog.service`).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Customer
from shopx.db.rows import check_unused, get_row, save_row
from shopx.rollups.moves import move_customer_region


async def create_customer(session: AsyncSession, fields: dict[str, Any]) -> Customer:
    await _check_unique(session, fields, other_than=None)
    return await save_row(session, Customer(**fields))


async def update_customer(
    session: AsyncSession, customer_id: int, fields: dict[str, Any], *, tz: ZoneInfo
) -> Customer:
    row = await get_row(session, Customer, customer_id)
    await _check_unique(session, fields, other_than=row.id)
    if "region" in fields and fields["region"] != row.region:
        await move_customer_region(session, row.id, row.region, fields["region"], tz)
    return await save_row(session, row, fields)


async def delete_customer(session: AsyncSession, customer_id: int) -> Customer:
    """Soft delete: the customer keeps their orders and takes no new ones."""
    row = await get_row(session, Customer, customer_id)
    return await save_row(session, row, {"is_active": False})


async def _check_unique(
    session: AsyncSession, fields: dict[str, Any], *, other_than: int | None
) -> None:
    if "email" in fields:
        email = fields["email"]
        lowered = func.lower(Customer.email)
        await check_unused(session, Customer, lowered, email, field="email", other_than=other_than)
    if fields.get("external_id") is not None:
        external_id = fields["external_id"]
        await check_unused(
            session,
            Customer,
            Customer.external_id,
            external_id,
            field="externalId",
            other_than=other_than,
        )
