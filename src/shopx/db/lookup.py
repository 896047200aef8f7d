"""Fetching one row that must exist."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.errors import NotFound

Row = TypeVar("Row")


async def existing(session: AsyncSession, model: type[Row], key: Any, label: str) -> Row:
    """The row of ``model`` with primary key ``key``, or NOT_FOUND naming it as ``label``."""
    row = await session.get(model, key)
    if row is None:
        raise NotFound(f"{label} {key} does not exist")
    return row
