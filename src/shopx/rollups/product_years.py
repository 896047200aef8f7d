"""Item sales per product and local year: ``rollup_product_yearly``.

A year's row of a product is the sum of its months' rows in ``rollup_product_monthly``
(a local month lies in one local year, and an order in one month, so order counts add up
too). Reading a whole year from it is one row per product and status instead of twelve
(at scale L, 200k products: the year's 1.6M month rows took a second to group).

:func:`shopx.rollups.deltas.year_cells` makes a write's change of year rows from its
change of month rows, so the write path keeps both in the same transaction;
:func:`rebuild_years` derives the table from the months (the rebuild, the seed and
migration 0016).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, cast, delete, func, literal, or_, select, type_coerce
from sqlalchemy.engine import Connection, Dialect

from shopx.db.dialect import integer_sum, is_postgres
from shopx.rollups.measures import ITEM_MEASURES
from shopx.rollups.tables import ProductMonthly, ProductYearly

MONTHS = ProductMonthly.__table__
YEARS = ProductYearly.__table__


def year_of(month: date) -> date:
    """The first day of the year of ``month``."""
    return month.replace(month=1, day=1)


def _year_start(column: Any, dialect: Dialect) -> Any:
    if is_postgres(dialect):
        return cast(func.date_trunc("year", column), Date)
    return type_coerce(func.date(column, literal("start of year")), Date)


def years_source(dialect: Dialect, years: Sequence[date] | None = None) -> Any:
    """(year, status, product_id, measures...) summed from the monthly rollup, over every
    year or over ``years``."""
    year = _year_start(MONTHS.c.month, dialect)
    within = []
    if years is not None:
        within = [MONTHS.c.month.between(first, first.replace(month=12)) for first in years]
    query = select(
        year.label("year"),
        MONTHS.c.status,
        MONTHS.c.product_id,
        *(integer_sum(MONTHS.c[name]).label(name) for name in ITEM_MEASURES),
    )
    if within:
        query = query.where(or_(*within))
    return query.group_by(year, MONTHS.c.status, MONTHS.c.product_id)


def rebuild_years(conn: Connection) -> int:
    """Derive the table from the monthly rollup; returns its row count."""
    conn.execute(delete(YEARS))
    columns = ["year", "status", "product_id", *ITEM_MEASURES]
    conn.execute(YEARS.insert().from_select(columns, years_source(conn.dialect)))
    return int(conn.execute(select(func.count()).select_from(YEARS)).scalar_one())
