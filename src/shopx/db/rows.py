"""Row helpers of the write services: fetch or NOT_FOUND, uniqueness checks, saving."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Base, SalesRepresentative
from shopx.errors import BadInput, NotFound

Row = TypeVar("Row", bound=Base)

NOUNS: dict[type[Base], str] = {SalesRepresentative: "sales rep"}


async def get_row(
    session: AsyncSession, model: type[Row], row_id: int, *, field: str | None = None
) -> Row:
    """The row, or NOT_FOUND naming the input ``field`` that referred to it."""
    row = await session.get(model, row_id)
    if row is None:
        prefix = f"{field}: " if field else ""
        raise NotFound(f"{prefix}{_noun(model)} {row_id} not found")
    return row


async def check_unused(
    session: AsyncSession,
    model: type[Base],
    column: Any,
    value: object,
    *,
    field: str,
    other_than: int | None = None,
) -> None:
    """BAD_USER_INPUT when another row of ``model`` already has ``value`` in ``column``."""
    query = select(model.id).where(column == value)  # type: ignore[attr-defined]
    if other_than is not None:
        query = query.where(model.id != other_than)  # type: ignore[attr-defined]
    taken_by = await session.scalar(query.limit(1))
    if taken_by is not None:
        raise BadInput(f"{field}: {value!r} is already used by {_noun(model)} {taken_by}")


async def save_row(session: AsyncSession, row: Row, fields: dict[str, Any] | None = None) -> Row:
    """Apply ``fields``, write, and reload what the database filled in (timestamps)."""
    for column, value in (fields or {}).items():
        setattr(row, column, value)
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


def _noun(model: type[Base]) -> str:
    return NOUNS.get(model, model.__name__.lower())
