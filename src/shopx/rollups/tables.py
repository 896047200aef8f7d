"""Pre-aggregated sales, keyed by the business-local day (or month, or year).

Each grain is chosen for what it compresses: a day holds a few hundred
(status, region, payment mode) cells but tens of thousands of products, so products
roll up by month (and by year: a year of a month's rows is 200k products x 11 months to
group at scale L) and the partial months at a span's edges come from raw items.
Rows keep the order status as a key, so which statuses count as revenue stays a
query-time setting. Empty text keys mean "none" (an order without a payment mode).
The measure columns come from the lists in :mod:`shopx.rollups.measures`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Date, Index, Integer, PrimaryKeyConstraint, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from shopx.db.columns import Cents, Id
from shopx.db.models import Base
from shopx.rollups.measures import ITEM_MEASURES, ORDER_MEASURES, ORDERS


def _measure_columns(names: tuple[str, ...]) -> dict[str, Any]:
    """One column per measure: the order count an INTEGER, every sum a BIGINT."""
    return {
        name: mapped_column(Integer if name == ORDERS else Cents, nullable=False, default=0)
        for name in names
    }


ItemMeasures = type("ItemMeasures", (), _measure_columns(ITEM_MEASURES))
"""The columns of a rollup of order lines: ``ITEM_MEASURES``."""

OrderMeasures = type("OrderMeasures", (), _measure_columns(ORDER_MEASURES))
"""The columns of a rollup of whole orders: ``ORDER_MEASURES``."""


class SalesDaily(OrderMeasures, Base):
    """Orders per day x status x customer region x payment mode."""

    __tablename__ = "rollup_sales_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    region: Mapped[str] = mapped_column(String(64), primary_key=True)
    payment_mode: Mapped[str] = mapped_column(String(32), primary_key=True)


class SalesQuarterHourly(OrderMeasures, Base):
    """Orders per quarter of an hour x status: the partial days at a span's edges (the
    comparison period that starts at this time of day, today so far) are read from here,
    whole quarters of an hour at a time, and from raw orders only for the minutes left
    over. Quarters are cut in UTC, so they are the same in every business time zone, and
    every local midnight of today's time zones falls on one of their edges."""

    __tablename__ = "rollup_sales_quarter_hourly"

    quarter_hour: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    """Quarters of an hour since 1970-01-01 00:00 UTC
    (:func:`shopx.calendar.quarter_hour_of`)."""
    status: Mapped[str] = mapped_column(String(16), primary_key=True)


class RepDaily(OrderMeasures, Base):
    """Orders with a sales rep, per day x status x rep."""

    __tablename__ = "rollup_rep_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    sales_rep_id: Mapped[int] = mapped_column(Id, primary_key=True)


class CategoryDaily(ItemMeasures, Base):
    """Item sales per day x status x category, at both levels of the tree.

    A line counts for its product's category and for that category's parent, so a
    top-level row holds exact totals (and distinct order counts) for its whole subtree.
    """

    __tablename__ = "rollup_category_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    category_id: Mapped[int] = mapped_column(Id, primary_key=True)


class ProductMonthly(ItemMeasures, Base):
    """Item sales per local month (its first day) x status x product."""

    __tablename__ = "rollup_product_monthly"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    product_id: Mapped[int] = mapped_column(Id, primary_key=True)

    __table_args__ = (Index("ix_rollup_product_monthly_product_id_month", "product_id", "month"),)


class ProductYearly(ItemMeasures, Base):
    """Item sales per local year (its first day) x status x product: the sum of the
    product's months of the year in :class:`ProductMonthly` (kept by
    :mod:`shopx.rollups.product_years`)."""

    __tablename__ = "rollup_product_yearly"

    year: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    product_id: Mapped[int] = mapped_column(Id, primary_key=True)

    __table_args__ = (Index("ix_rollup_product_yearly_product_id_year", "product_id", "year"),)


# The best sellers of one month (or year) of one status, read in order: a ranking by item
# sales reads the first rows of these instead of sorting every product's row.
Index(
    "ix_rollup_product_monthly_month_status_item_sales_cents",
    ProductMonthly.month,
    ProductMonthly.status,
    ProductMonthly.item_sales_cents.desc(),
    ProductMonthly.product_id,
)
Index(
    "ix_rollup_product_yearly_year_status_item_sales_cents",
    ProductYearly.year,
    ProductYearly.status,
    ProductYearly.item_sales_cents.desc(),
    ProductYearly.product_id,
)


ROLLUP_TABLES = (SalesDaily, SalesQuarterHourly, RepDaily, CategoryDaily, ProductMonthly)
"""The rollups made from the raw rows; :class:`ProductYearly` and :class:`CustomerGaps` are
derived (from the months, from each customer's days) and kept alongside."""

FIRST_DAY = date(1, 1, 1)
"""``CustomerGaps.since`` of a customer's first day with an order of the status."""


class CustomerGaps(Base):
    """Customers per local day x status x the local day of their previous order of that
    status (:data:`FIRST_DAY`: none before). Each customer's days with an order of a status
    count once each, under the day before them; so the customers with an order of the status
    in days D1..D2 are the rows of those days whose ``since`` is before D1, one per customer
    (its first day there). Kept by :mod:`shopx.rollups.customer_days`."""

    __tablename__ = "rollup_customer_gaps"
    # A span's customers are a sum of ``customers`` over a range of the key: read from
    # the key alone on PostgreSQL (migration 0024).
    __table_args__ = (
        PrimaryKeyConstraint("status", "day", "since", postgresql_include=["customers"]),
    )

    status: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    since: Mapped[date] = mapped_column(Date)
    customers: Mapped[int] = mapped_column(Integer, nullable=False)


def key_columns(table: Table) -> list[str]:
    """The columns a rollup row is keyed by (its primary key), in order."""
    return [column.name for column in table.primary_key.columns]


def measures_of(table: Table) -> tuple[str, ...]:
    """The measures a rollup table keeps: every order measure, or the item measures."""
    return ORDER_MEASURES if set(ORDER_MEASURES) <= set(table.c.keys()) else ITEM_MEASURES


class SegmentTotals(Base):
    """Customers, their lifetime value and their orders per segment: ``customers`` grouped by
    ``segment``, kept by the database itself (triggers on ``customers``, see
    :mod:`shopx.rollups.segment_totals`), so every write of a customer row, whatever its
    path, moves it in the same transaction. A segment with no customer has no row."""

    __tablename__ = "customer_segment_totals"

    segment: Mapped[str] = mapped_column(String(16), primary_key=True)
    customers: Mapped[int] = mapped_column(BigInteger)
    lifetime_value_cents: Mapped[int] = mapped_column(Cents)
    orders: Mapped[int] = mapped_column(BigInteger)
