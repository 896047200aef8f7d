"""Initial schema: catalog, customers, reps, orders and items.

On PostgreSQL, orders and order_items are range-partitioned by month on ordered_at
(primary keys include it; items reference orders by (order_id, ordered_at)), with
a DEFAULT partition and monthly partitions from this month to three months ahead.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopx.db.columns import Cents, Id, UTCDateTime
from shopx.db.partitions import ensure_partitions

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
    ]


def _active() -> sa.Column:
    return sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False)


def _id(sequence: str | None = None) -> sa.Column:
    default = sa.text(f"nextval('{sequence}')") if sequence and _postgres() else None
    return sa.Column("id", Id, server_default=default, nullable=False)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _create_catalog() -> None:
    op.create_table(
        "categories",
        _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("parent_id", Id, nullable=True),
        _active(),
        *_timestamps(),
        sa.ForeignKeyConstraint(["parent_id"], ["categories.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_categories_parent_id", "categories", ["parent_id"])
    op.create_index(
        "uq_categories_parent_id_name", "categories", ["parent_id", "name"], unique=True
    )

    op.create_table(
        "products",
        _id(),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("brand", sa.String(120), nullable=True),
        sa.Column("category_id", Id, nullable=False),
        sa.Column("cost_price_cents", Cents, nullable=False),
        sa.Column("selling_price_cents", Cents, nullable=False),
        sa.Column("stock_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reorder_level", sa.Integer(), server_default="10", nullable=False),
        _active(),
        *_timestamps(),
        sa.CheckConstraint("cost_price_cents >= 0", name="cost_nonnegative"),
        sa.CheckConstraint("selling_price_cents >= 0", name="price_nonnegative"),
        sa.CheckConstraint("stock_quantity >= 0", name="stock_nonnegative"),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sku"),
    )
    op.create_index("ix_products_name", "products", ["name"])
    op.create_index("ix_products_selling_price_cents", "products", ["selling_price_cents"])
    op.create_index(
        "ix_products_category_id_selling_price_cents",
        "products",
        ["category_id", "selling_price_cents"],
    )
    op.create_index(
        "ix_products_brand_selling_price_cents", "products", ["brand", "selling_price_cents"]
    )
    if _postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_products_name_trgm",
            "products",
            ["name"],
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        )


def _create_people() -> None:
    op.create_table(
        "customers",
        _id(),
        sa.Column("external_id", sa.String(120), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("gender", sa.String(16), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("segment", sa.String(16), server_default="NEW", nullable=False),
        sa.Column("lifetime_value_cents", Cents, server_default="0", nullable=False),
        sa.Column("order_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_order_at", UTCDateTime(), nullable=True),
        sa.Column("last_order_at", UTCDateTime(), nullable=True),
        _active(),
        *_timestamps(),
        sa.CheckConstraint(
            "segment IN ('PREMIUM','REGULAR','NEW','AT_RISK','CHURNED')", name="segment_known"
        ),
        sa.CheckConstraint("age IS NULL OR (age >= 0 AND age <= 150)", name="age_range"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("external_id"),
    )
    op.create_index("ix_customers_region", "customers", ["region"])
    op.create_index("ix_customers_last_order_at", "customers", ["last_order_at"])
    op.create_index(
        "ix_customers_segment_lifetime_value_cents",
        "customers",
        ["segment", "lifetime_value_cents"],
    )

    op.create_table(
        "sales_representatives",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("commission_rate_bp", sa.Integer(), server_default="0", nullable=False),
        _active(),
        *_timestamps(),
        sa.CheckConstraint(
            "commission_rate_bp >= 0 AND commission_rate_bp <= 10000", name="commission_range"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_sales_representatives_region", "sales_representatives", ["region"])


def _create_orders() -> None:
    postgres = _postgres()
    if postgres:
        op.execute("CREATE SEQUENCE orders_id_seq")
        op.execute("CREATE SEQUENCE order_items_id_seq")
    key = ["id", "ordered_at"] if postgres else ["id"]
    partitioning = {"postgresql_partition_by": "RANGE (ordered_at)"} if postgres else {}

    op.create_table(
        "orders",
        _id("orders_id_seq"),
        sa.Column("customer_id", Id, nullable=False),
        sa.Column("sales_rep_id", Id, nullable=True),
        sa.Column("ordered_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payment_mode", sa.String(32), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("discount_cents", Cents, server_default="0", nullable=False),
        sa.Column("total_cents", Cents, nullable=False),
        *_timestamps(),
        sa.CheckConstraint(
            "status IN ('PENDING','PROCESSING','COMPLETED','CANCELLED','REFUNDED')",
            name="status_known",
        ),
        sa.CheckConstraint("discount_cents >= 0", name="discount_nonnegative"),
        sa.CheckConstraint("total_cents >= 0", name="total_nonnegative"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["sales_rep_id"], ["sales_representatives.id"], ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint(*key),
        **partitioning,
    )
    op.create_index("ix_orders_ordered_at", "orders", ["ordered_at"])
    op.create_index(
        "ix_orders_status_ordered_at_customer_id", "orders", ["status", "ordered_at", "customer_id"]
    )
    op.create_index("ix_orders_customer_id_ordered_at", "orders", ["customer_id", "ordered_at"])
    op.create_index("ix_orders_sales_rep_id_ordered_at", "orders", ["sales_rep_id", "ordered_at"])

    op.create_table(
        "order_items",
        _id("order_items_id_seq"),
        sa.Column("order_id", Id, nullable=False),
        sa.Column("ordered_at", UTCDateTime(), nullable=False),
        sa.Column("product_id", Id, nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_cents", Cents, nullable=False),
        sa.Column("unit_cost_cents", Cents, nullable=False),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price_cents >= 0", name="unit_price_nonnegative"),
        sa.CheckConstraint("unit_cost_cents >= 0", name="unit_cost_nonnegative"),
        sa.ForeignKeyConstraint(
            ["order_id", "ordered_at"] if postgres else ["order_id"],
            ["orders.id", "orders.ordered_at"] if postgres else ["orders.id"],
            name="fk_order_items_order_id_orders",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint(*key),
        **partitioning,
    )
    op.create_index("ix_order_items_order_id", "order_items", ["order_id"])
    op.create_index(
        "ix_order_items_product_id_ordered_at", "order_items", ["product_id", "ordered_at"]
    )
    op.create_index("ix_order_items_ordered_at", "order_items", ["ordered_at"])
    if postgres:
        op.execute("ALTER SEQUENCE orders_id_seq OWNED BY orders.id")
        op.execute("ALTER SEQUENCE order_items_id_seq OWNED BY order_items.id")
        ensure_partitions(op.get_bind())


def upgrade() -> None:
    _create_catalog()
    _create_people()
    _create_orders()


def downgrade() -> None:
    for table in ("order_items", "orders", "sales_representatives", "customers"):
        op.drop_table(table)
    op.drop_table("products")
    op.drop_table("categories")
