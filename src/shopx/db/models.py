"""The data model. Money is integer cents, time is UTC.

On PostgreSQL, ``orders`` and ``order_items`` are range-partitioned by month on
``ordered_at`` (see :mod:`shopx.db.partitions`); their primary keys then include
``ordered_at`` and the item -> order foreign key is ``(order_id, ordered_at)``.
The ORM only needs ``id``, so the models below describe the logical schema; the
migration adds the PostgreSQL-only parts (partitions, a trigram index on product names).
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Text,
    false,
    func,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shopx.db.columns import Cents, Id, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class OrderStatus(enum.StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"


class Segment(enum.StrEnum):
    PREMIUM = "PREMIUM"
    REGULAR = "REGULAR"
    NEW = "NEW"
    AT_RISK = "AT_RISK"
    CHURNED = "CHURNED"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


ERROR_VALUE_CHARS = 200
"""The longest value a stored row error keeps (the parser cuts them to this)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class Timestamped:
    # Set in Python so SQLite stores the same text form (with microseconds) as every other
    # timestamp the app writes; the server default covers rows written outside the ORM.
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, server_default=func.now(), onupdate=utc_now
    )


class Category(Timestamped, Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (Index("uq_categories_parent_id_name", "parent_id", "name", unique=True),)


CATALOG_FILTER_COLUMNS = ("category_id", "brand", "stock_quantity", "is_active")


class Product(Timestamped, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    cost_price_cents: Mapped[int] = mapped_column(Cents)
    selling_price_cents: Mapped[int] = mapped_column(Cents)
    stock_quantity: Mapped[int] = mapped_column(default=0, server_default="0")
    reorder_level: Mapped[int] = mapped_column(default=10, server_default="10")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (
        CheckConstraint("cost_price_cents >= 0", name="cost_nonnegative"),
        CheckConstraint("selling_price_cents >= 0", name="price_nonnegative"),
        CheckConstraint("stock_quantity >= 0", name="stock_nonnegative"),
        # SKUs are stored as given and unique ignoring case, like customer emails.
        Index("uq_products_lower_sku", func.lower(sku.column), unique=True),
        Index("ix_products_category_id_selling_price_cents", "category_id", "selling_price_cents"),
        Index("ix_products_brand_selling_price_cents", "brand", "selling_price_cents"),
        # PostgreSQL: the catalog's filter columns ride along, so the REST catalog's total
        # counts from this index alone (an index-only scan) instead of the wide rows.
        Index(
            "ix_products_selling_price_cents",
            "selling_price_cents",
            postgresql_include=list(CATALOG_FILTER_COLUMNS),
        ),
    )


class Customer(Timestamped, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    gender: Mapped[str | None] = mapped_column(String(16))
    age: Mapped[int | None]
    segment: Mapped[str] = mapped_column(String(16), default=Segment.NEW, server_default="NEW")
    lifetime_value_cents: Mapped[int] = mapped_column(Cents, default=0, server_default="0")
    order_count: Mapped[int] = mapped_column(default=0, server_default="0")
    first_order_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_order_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (
        CheckConstraint(
            "segment IN ('PREMIUM','REGULAR','NEW','AT_RISK','CHURNED')", name="segment_known"
        ),
        CheckConstraint("age IS NULL OR (age >= 0 AND age <= 150)", name="age_range"),
        Index("ix_customers_segment_lifetime_value_cents", "segment", "lifetime_value_cents"),
    )


class SalesRepresentative(Timestamped, Base):
    __tablename__ = "sales_representatives"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    commission_rate_bp: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (
        CheckConstraint(
            "commission_rate_bp >= 0 AND commission_rate_bp <= 10000", name="commission_range"
        ),
    )


ORDERS_ID_SEQ = Sequence("orders_id_seq")
ORDER_ITEMS_ID_SEQ = Sequence("order_items_id_seq")


class Order(Timestamped, Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Id, ORDERS_ID_SEQ, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    sales_rep_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales_representatives.id", ondelete="RESTRICT")
    )
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING)
    payment_mode: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(32))
    discount_cents: Mapped[int] = mapped_column(Cents, default=0, server_default="0")
    total_cents: Mapped[int] = mapped_column(Cents)

    __table_args__ = (
        CheckConstraint(
            "status IN ('PENDING','PROCESSING','COMPLETED','CANCELLED','REFUNDED')",
            name="status_known",
        ),
        CheckConstraint("discount_cents >= 0", name="discount_nonnegative"),
        CheckConstraint("total_cents >= 0", name="total_nonnegative"),
        Index("ix_orders_ordered_at", "ordered_at"),
        # Covers count(DISTINCT customer_id) over a time range without touching the table.
        Index("ix_orders_status_ordered_at_customer_id", "status", "ordered_at", "customer_id"),
        # A customer's orders in time order; covers "has this customer an order of this
        # status in this range" (distinct customers at a span's edges, the customers' days).
        Index("ix_orders_customer_id_ordered_at_status", "customer_id", "ordered_at", "status"),
        # Covers a rep's distinct customers over a time range (status filtered in the index).
        Index(
            "ix_orders_sales_rep_id_ordered_at_status_customer_id",
            "sales_rep_id",
            "ordered_at",
            "status",
            "customer_id",
        ),
    )


PRODUCT_SALES_COLUMNS = ("order_id", "quantity", "unit_price_cents", "unit_cost_cents")
"""What a product's item sales read of each of its items, beside its time."""


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Id, ORDER_ITEMS_ID_SEQ, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    # A copy of the order's time: both partitioned tables prune on the same key.
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    quantity: Mapped[int]
    unit_price_cents: Mapped[int] = mapped_column(Cents)
    unit_cost_cents: Mapped[int] = mapped_column(Cents)

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents >= 0", name="unit_price_nonnegative"),
        CheckConstraint("unit_cost_cents >= 0", name="unit_cost_nonnegative"),
        Index("ix_order_items_order_id", "order_id"),
        # PostgreSQL: what a product's sales need of each item rides along, so a few
        # products' items over a period are read from this index alone (an index-only scan).
        Index(
            "ix_order_items_product_id_ordered_at",
            "product_id",
            "ordered_at",
            postgresql_include=list(PRODUCT_SALES_COLUMNS),
        ),
        Index("ix_order_items_ordered_at", "ordered_at"),
    )


class User(Timestamped, Base):
    """Someone who signs in to the dashboard: an email (stored lower-cased), an argon2id hash
    of the password (never the password), a role and whether they may sign in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("role IN ('admin','analyst','viewer')", name="role_known"),)


class RefreshToken(Base):
    """One refresh token of a sign-in session, kept as its SHA-256 only. A refresh revokes the
    token it was given and issues the next one of the same family (one family per sign-in),
    so a revoked token presented again means it was copied: the family is revoked."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, server_default=func.now()
    )


class JobRun(Base):
    """One run of a background job (:mod:`shopx.jobs.registry`): what started it, when, how
    long it took, how it ended, the rows it touched and, when it failed, the error."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(String(16))
    rows: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("trigger IN ('schedule','manual','event')", name="trigger_known"),
        CheckConstraint(
            "outcome IN ('queued','running','succeeded','failed','skipped','timed_out')",
            name="outcome_known",
        ),
        Index("ix_job_runs_job_started_at", "job", "started_at"),
    )


PARTITIONED_TABLES = ("orders", "order_items")


def item_order_join() -> Any:
    """An item's order: the partition key is part of the join, so both tables prune together."""
    return (Order.id == OrderItem.order_id) & (Order.ordered_at == OrderItem.ordered_at)


def placed_between(start: datetime, end: datetime) -> list[Any]:
    """Items (and their orders) placed in ``[start, end)``.

    The range is stated on both tables: PostgreSQL does not carry a range through the
    join's equality, and without it every partition of ``orders`` is scanned.
    """
    return [
        OrderItem.ordered_at >= start,
        OrderItem.ordered_at < end,
        Order.ordered_at >= start,
        Order.ordered_at < end,
    ]


class Alert(Base):
    """Something an owner should hear about: a product at or below its reorder level
    (``low_stock``, subject ``product:<id>``) or a job whose last run failed (``job_failed``,
    subject ``job:<name>``). At most one open alert per kind and subject: it opens when the
    condition starts, closes when it ends (restocked, the job succeeded), and a later
    occurrence opens a new one. ``notified_at`` records when it was sent (webhook, SMTP)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(128))
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('low_stock','job_failed')", name="kind_known"),
        Index(
            "uq_alerts_open_kind_subject",
            "kind",
            "subject",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        Index("ix_alerts_opened_at", "opened_at"),
    )


class Report(Base):
    """A stored summary of one closed period (a day, an ISO week or a month in the business
    time zone): ``figures`` is its JSON (revenue, orders, AOV, top products, top reps, the
    previous period's figures), rendered to HTML and CSV on download. One report per kind
    and period; ``sent_at`` records when it was e-mailed."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    """The first day after the period (exclusive)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('daily','weekly','monthly')", name="kind_known"),
        Index("uq_reports_kind_period_start", "kind", "period_start", unique=True),
    )


class DemoSeed(Base):
    """The record that this database holds the seeded demo (one row, written by ``shopx
    seed``; a database never seeded has none): how it was generated and the moment its
    orders reach. The ``demo-roll-forward`` job extends it and moves ``reached_at``."""

    __tablename__ = "demo_seed"

    id: Mapped[int] = mapped_column(primary_key=True)
    scale: Mapped[str] = mapped_column(String(8))
    random_seed: Mapped[int] = mapped_column(BigInteger)
    seeded_until: Mapped[datetime] = mapped_column(UTCDateTime)
    """``shopx seed``'s moment: the end of the generated two years."""
    reached_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """Every demo order was placed before this moment."""

    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


class DemoBatch(Base):
    """A run of order ids the demo wrote: the seed's, then each extension's. Orders outside
    these runs were written by someone else and the demo never moves them on."""

    __tablename__ = "demo_batches"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    first_order_id: Mapped[int] = mapped_column(Id)
    last_order_id: Mapped[int] = mapped_column(Id)
    placed_from: Mapped[datetime] = mapped_column(UTCDateTime)
    placed_before: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_demo_batches_first_order_id", "first_order_id"),)


class Import(Base):
    """One import of a sales file (an upload, ``shopx import``, a sheet's sync): where it
    came from, how far it got and what it found. The counts and ``percent`` move with each
    committed batch; ``report`` holds the final report (its first row errors included)."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", server_default="queued")
    dry_run: Mapped[bool] = mapped_column(default=False, server_default=false())
    rows_read: Mapped[int] = mapped_column(default=0, server_default="0")
    rows_imported: Mapped[int] = mapped_column(default=0, server_default="0")
    rows_skipped: Mapped[int] = mapped_column(default=0, server_default="0")
    rows_failed: Mapped[int] = mapped_column(default=0, server_default="0")
    percent: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, server_default=func.now()
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utc_now)
    """The heartbeat: written with the row's every change, each committed batch's progress
    included, so a ``running`` import whose process died is told by its silence
    (:mod:`shopx.ingest.interrupted`). Null only for rows written before migration 0012."""

    __table_args__ = (
        CheckConstraint("source IN ('upload','cli','sheet')", name="source_known"),
        CheckConstraint("state IN ('queued','running','succeeded','failed')", name="state_known"),
        Index("ix_imports_created_at", "created_at"),
    )


class ImportRowError(Base):
    """One row error of an import: every error is kept (the report holds the first 100), for
    ``GET /api/v1/imports/{id}/errors.csv``. Written with the batch that found it (a dry
    run's once its transaction is rolled back); ``id`` keeps a line's errors in file order."""

    __tablename__ = "import_errors"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"))
    line: Mapped[int]
    column: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(String(ERROR_VALUE_CHARS))
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_import_errors_import_id_line", "import_id", "line"),)


class ImportKey(Base):
    """A row (or an order reference) some import wrote: the natural key's fingerprint (a
    16-byte BLAKE2b digest, see :mod:`shopx.ingest.keys`), the order it went to and the import.
    Its primary key is what makes an import idempotent: a fingerprint is written once."""

    __tablename__ = "import_keys"

    fingerprint: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    order_id: Mapped[int] = mapped_column(Id)
    import_id: Mapped[int | None] = mapped_column(Id)

    # On SQLite the rows live in the key's own B-tree (no rowid table beside it).
    __table_args__ = {"sqlite_with_rowid": False}


class Sheet(Base):
    """A Google Sheet registered for sync: its CSV export URL (a public or link-shared
    sheet), or a spreadsheet key and worksheet read through a service account, whose JSON
    is kept only sealed with a key derived from the app secret (:mod:`shopx.sheets.sealing`).
    ``source`` is what identifies it (registered once) and what the API shows; each sync is
    an import (``last_import_id``), whose state, counts and error are the sheet's last ones."""

    __tablename__ = "sheets"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(2048), unique=True)
    csv_url: Mapped[str | None] = mapped_column(Text)
    spreadsheet_key: Mapped[str | None] = mapped_column(String(200))
    worksheet: Mapped[str | None] = mapped_column(String(200))
    sealed_credentials: Mapped[bytes | None] = mapped_column(LargeBinary)
    date_order: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utc_now, server_default=func.now()
    )
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When a sync last succeeded."""
    last_import_id: Mapped[int | None] = mapped_column(Id)

    __table_args__ = (
        CheckConstraint("kind IN ('csv_url','service_account')", name="kind_known"),
        CheckConstraint("date_order IN ('DMY','MDY')", name="date_order_known"),
    )
