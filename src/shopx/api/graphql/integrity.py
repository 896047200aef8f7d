"""A unique violation that slipped past a write's own checks, as a CONFLICT answer.

The write services check uniqueness first and say which field clashes; this is the net
under them (a sequence behind its rows, a race a check did not cover). The answer names the
constraint only: the drivers' messages quote the clashing values and the SQL.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from shopx.errors import Conflict

UNIQUE_VIOLATION = "23505"
"""PostgreSQL's SQLSTATE for a unique violation."""
SQLITE_UNIQUE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")
SQLITE_PREFIX = "UNIQUE constraint failed: "


def unique_constraint(error: IntegrityError) -> str | None:
    """The constraint a unique violation broke; None for any other integrity error.

    PostgreSQL (asyncpg) gives the constraint's name; SQLite gives its columns or index
    (``products.sku``, ``index 'uq_products_sku_lower'``), never the values.
    """
    driver = error.orig
    if getattr(driver, "sqlstate", None) == UNIQUE_VIOLATION:
        return getattr(driver.__cause__, "constraint_name", None) or "unknown"
    if getattr(driver, "sqlite_errorname", None) in SQLITE_UNIQUE:
        return str(driver).removeprefix(SQLITE_PREFIX)
    return None


def as_conflict(error: BaseException | None) -> Conflict | None:
    """A :class:`Conflict` for a unique violation, else None."""
    if not isinstance(error, IntegrityError):
        return None
    constraint = unique_constraint(error)
    if constraint is None:
        return None
    return Conflict(f"conflicts with an existing row (unique constraint {constraint})")
