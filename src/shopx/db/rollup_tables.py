"""Pre-aggregated sales, keyed by the business-local day (or month).

Each grain is chosen for what it compresses: a day holds a few hundred
(status, region, payment mode) cells but tens of thousands of products, so products
roll up by month and the partial months at a span's edges come from raw items.
Rows keep the order status as a key, so which statuses count as revenue stays a
query-time setting. Empty text keys mean "none" (an order without a payment mode).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shopx.db.models import Base
from shopx.db.types import Cents, Id, UTCDateTime


class ItemMeasures:
    orders: Mapped[int] = mapped_column(default=0)
    units: Mapped[int] = mapped_column(Cents, default=0)
    item_revenue_cents: Mapped[int] = mapped_column(Cents, default=0)
    cost_cents: Mapped[int] = mapped_column(Cents, default=0)


class OrderMeasures(ItemMeasures):
    discount_cents: Mapped[int] = mapped_column(Cents, default=0)
    revenue_cents: Mapped[int] = mapped_column(Cents, default=0)


class SalesDaily(OrderMeasures, Base):
    """Orders per day x status x customer region x payment mode."""

    __tablename__ = "rollup_sales_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    region: Mapped[str] = mapped_column(String(64), primary_key=True)
    payment_mode: Mapped[str] = mapped_column(String(32), primary_key=True)


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


class DataVersion(Base):
    """One row: bumped by every committed write, so readers can say how fresh they are."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Cents, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rollup_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    """The business time zone the rollups were cut in; a different setting needs a rebuild."""


ROLLUP_TABLES = (SalesDaily, RepDaily, CategoryDaily, ProductMonthly)
