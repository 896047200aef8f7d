"""Rollups: sales per day, per rep and day, per category and day, per product and month;
and the data version row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Cents, Id, UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _item_measures() -> list[sa.Column]:
    return [
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", Cents, nullable=False),
        sa.Column("item_revenue_cents", Cents, nullable=False),
        sa.Column("cost_cents", Cents, nullable=False),
    ]


def _order_measures() -> list[sa.Column]:
    return [
        sa.Column("discount_cents", Cents, nullable=False),
        sa.Column("revenue_cents", Cents, nullable=False),
        *_item_measures(),
    ]


def _day_status() -> list[sa.Column]:
    return [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "rollup_sales_daily",
        *_day_status(),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("payment_mode", sa.String(32), nullable=False),
        *_order_measures(),
        sa.PrimaryKeyConstraint("day", "status", "region", "payment_mode"),
    )
    op.create_table(
        "rollup_rep_daily",
        *_day_status(),
        sa.Column("sales_rep_id", Id, nullable=False),
        *_order_measures(),
        sa.PrimaryKeyConstraint("day", "status", "sales_rep_id"),
    )
    op.create_table(
        "rollup_category_daily",
        *_day_status(),
        sa.Column("category_id", Id, nullable=False),
        *_item_measures(),
        sa.PrimaryKeyConstraint("day", "status", "category_id"),
    )
    op.create_table(
        "rollup_product_monthly",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("product_id", Id, nullable=False),
        *_item_measures(),
        sa.PrimaryKeyConstraint("month", "status", "product_id"),
    )
    op.create_index(
        "ix_rollup_product_monthly_product_id_month",
        "rollup_product_monthly",
        ["product_id", "month"],
    )
    data_version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", Cents, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("rollup_timezone", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        data_version.insert().values(
            id=1, version=0, updated_at=sa.func.now(), rollup_timezone="UTC"
        )
    )


def downgrade() -> None:
    for table in (
        "data_version",
        "rollup_product_monthly",
        "rollup_category_daily",
        "rollup_rep_daily",
        "rollup_sales_daily",
    ):
        op.drop_table(table)
