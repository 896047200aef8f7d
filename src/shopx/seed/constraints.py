"""PostgreSQL keys taken off the big tables for a bulk load and put back after it.

Checking keys row by row costs more than the load itself (an item's foreign key into
the partitioned orders table most of all); adding a key back checks all rows at once.
Definitions are read from the catalog, so what comes back is exactly what was there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shopx.seed.phases import Advance

PRIMARY, FOREIGN = "p", "f"

SUSPENDABLE = text(
    "SELECT contype::text, conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
    " FROM pg_constraint WHERE conparentid = 0 AND ("
    " (contype = 'p' AND conrelid = ANY (CAST(:keyed AS regclass[])))"
    " OR (contype = 'f' AND (conrelid = ANY (CAST(:tables AS regclass[]))"
    " OR confrelid = ANY (CAST(:keyed AS regclass[])))))"
    " ORDER BY 1, 2, 3"
)


@dataclass(frozen=True)
class Constraint:
    kind: str
    table: str
    name: str
    definition: str


async def suspend(
    conn: AsyncConnection, tables: tuple[str, ...], keyed: tuple[str, ...]
) -> list[Constraint]:
    """Drop the foreign keys of ``tables`` and the primary keys of ``keyed`` (with every
    foreign key that points at them); returns what was dropped."""
    found = await conn.execute(SUSPENDABLE, {"tables": list(tables), "keyed": list(keyed)})
    suspended = [Constraint(*row) for row in found]
    for constraint in sorted(suspended, key=lambda c: c.kind != FOREIGN):
        name = _quote(conn, constraint)
        await conn.execute(text(f"ALTER TABLE {constraint.table} DROP CONSTRAINT {name}"))
    return suspended


async def restore(
    conn: AsyncConnection, suspended: list[Constraint], kind: str, advance: Advance
) -> None:
    for constraint in (c for c in suspended if c.kind == kind):
        added = f"{_quote(conn, constraint)} {constraint.definition}"
        await conn.execute(text(f"ALTER TABLE {constraint.table} ADD CONSTRAINT {added}"))
        advance(1)


def _quote(conn: AsyncConnection, constraint: Constraint) -> str:
    return conn.dialect.identifier_preparer.quote(constraint.name)
