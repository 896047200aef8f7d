"""Keeping the rollups equal to the raw rows.

Two paths, one result: every order write applies the difference between the order's
facts before and after it (:func:`apply_order_change`, in the writer's transaction),
and :func:`rebuild` recomputes every rollup from the raw rows. A test holds them equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, func, literal, select, tuple_, union_all, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopx.db.dialect import add_on_conflict, local_date, local_month
from shopx.db.models import Category, Customer, Order, OrderItem, Product, item_order_join
from shopx.db.rollup_tables import (
    ROLLUP_TABLES,
    CategoryDaily,
    DataVersion,
    ProductMonthly,
    RepDaily,
    SalesDaily,
)

ITEM_MEASURES = ("orders", "units", "item_revenue_cents", "cost_cents")
ORDER_MEASURES = (*ITEM_MEASURES, "discount_cents", "revenue_cents")


@dataclass(frozen=True, slots=True)
class Line:
    product_id: int
    category_id: int
    parent_category_id: int | None
    quantity: int
    unit_price_cents: int
    unit_cost_cents: int


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the rollups know of one order."""

    ordered_at: datetime
    status: str
    region: str
    payment_mode: str
    sales_rep_id: int | None
    discount_cents: int
    total_cents: int
    lines: tuple[Line, ...]


async def load_order_facts(session: AsyncSession, order_id: int) -> OrderFacts | None:
    order = (
        await session.execute(
            select(Order, Customer.region)
            .join(Customer, Customer.id == Order.customer_id)
            .where(Order.id == order_id)
        )
    ).one_or_none()
    if order is None:
        return None
    row, region = order
    lines = await session.execute(
        select(
            OrderItem.product_id,
            Product.category_id,
            Category.parent_id,
            OrderItem.quantity,
            OrderItem.unit_price_cents,
            OrderItem.unit_cost_cents,
        )
        .join(Product, Product.id == OrderItem.product_id)
        .join(Category, Category.id == Product.category_id)
        .where(OrderItem.order_id == order_id, OrderItem.ordered_at == row.ordered_at)
        .order_by(OrderItem.id)
    )
    return OrderFacts(
        ordered_at=row.ordered_at,
        status=row.status,
        region=region or "",
        payment_mode=row.payment_mode or "",
        sales_rep_id=row.sales_rep_id,
        discount_cents=row.discount_cents,
        total_cents=row.total_cents,
        lines=tuple(Line(*line) for line in lines),
    )


Key = tuple[Any, ...]
Deltas = dict[Table, dict[Key, list[int]]]


def _add(cells: dict[Key, list[int]], key: Key, values: Iterable[int]) -> None:
    values = list(values)
    cell = cells.setdefault(key, [0] * len(values))
    for index, value in enumerate(values):
        cell[index] += value


def _collect(deltas: Deltas, facts: OrderFacts, sign: int, tz: ZoneInfo) -> None:
    day = facts.ordered_at.astimezone(tz).date()
    month = day.replace(day=1)
    units = sum(line.quantity for line in facts.lines)
    item_revenue = sum(line.quantity * line.unit_price_cents for line in facts.lines)
    cost = sum(line.quantity * line.unit_cost_cents for line in facts.lines)
    totals = (1, units, item_revenue, cost, facts.discount_cents, facts.total_cents)
    order_values = [sign * value for value in totals]
    sales_key = (day, facts.status, facts.region, facts.payment_mode)
    _add(deltas[SalesDaily.__table__], sales_key, order_values)
    if facts.sales_rep_id is not None:
        _add(deltas[RepDaily.__table__], (day, facts.status, facts.sales_rep_id), order_values)
    for table, keys_of in (
        (CategoryDaily.__table__, lambda line: _category_keys(day, facts.status, line)),
        (ProductMonthly.__table__, lambda line: [(month, facts.status, line.product_id)]),
    ):
        # An order counts once per category (or product), however many of its lines match.
        per_key: dict[Key, list[int]] = {}
        for line in facts.lines:
            for key in keys_of(line):
                _add(per_key, key, _line_values(line))
        for key, values in per_key.items():
            _add(deltas[table], key, [sign, *(sign * value for value in values)])


def _category_keys(day: date, status: str, line: Line) -> list[Key]:
    """A line counts for its category and, one level up, for that category's parent."""
    keys: list[Key] = [(day, status, line.category_id)]
    if line.parent_category_id is not None:
        keys.append((day, status, line.parent_category_id))
    return keys


def _line_values(line: Line) -> tuple[int, int, int]:
    return (
        line.quantity,
        line.quantity * line.unit_price_cents,
        line.quantity * line.unit_cost_cents,
    )


def order_deltas(before: OrderFacts | None, after: OrderFacts | None, tz: ZoneInfo) -> Deltas:
    """The change to every rollup row when an order goes from ``before`` to ``after``."""
    deltas: Deltas = defaultdict(dict)
    if before is not None:
        _collect(deltas, before, -1, tz)
    if after is not None:
        _collect(deltas, after, +1, tz)
    return {
        table: {key: values for key, values in cells.items() if any(values)}
        for table, cells in deltas.items()
    }


def _key_columns(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def _measures(table: Table) -> tuple[str, ...]:
    return ORDER_MEASURES if "revenue_cents" in table.c else ITEM_MEASURES


async def apply_order_change(
    session: AsyncSession, before: OrderFacts | None, after: OrderFacts | None, tz: ZoneInfo
) -> None:
    """Fold one order's change into the rollups (call inside the writing transaction)."""
    dialect = session.bind.dialect
    for table, cells in order_deltas(before, after, tz).items():
        if not cells:
            continue
        keys, measures = _key_columns(table), _measures(table)
        rows = [
            dict(zip(keys, key, strict=True)) | dict(zip(measures, values, strict=True))
            for key, values in cells.items()
        ]
        await session.execute(add_on_conflict(dialect, table, keys, measures), rows)
        touched = [tuple_(*(table.c[k] for k in keys)).in_(list(cells))]
        await session.execute(delete(table).where(*touched, table.c.orders == 0))


async def mark_written(session: AsyncSession | AsyncConnection, now: datetime) -> None:
    """Record that data changed: :mod:`shopx.db.writes` does it first in every write
    transaction (services never call it)."""
    await session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, updated_at=now)
    )


async def data_version(session: AsyncSession) -> int:
    """How many write transactions have committed (the counter :func:`mark_written` bumps)."""
    query = select(DataVersion.version).where(DataVersion.id == 1)
    return int((await session.execute(query)).scalar_one_or_none() or 0)


def per_order_lines() -> Any:
    """Units, item sales and cost per order (a SELECT to filter and turn into a subquery)."""
    return select(
        OrderItem.order_id.label("order_id"),
        func.sum(OrderItem.quantity).label("units"),
        func.sum(OrderItem.quantity * OrderItem.unit_price_cents).label("item_revenue"),
        func.sum(OrderItem.quantity * OrderItem.unit_cost_cents).label("cost"),
    ).group_by(OrderItem.order_id)


def order_measures(lines: Any) -> list[Any]:
    """ORDER_MEASURES over orders outer-joined to their :func:`per_order_lines` subquery."""
    return [
        func.count(),
        func.coalesce(func.sum(lines.c.units), 0),
        func.coalesce(func.sum(lines.c.item_revenue), 0),
        func.coalesce(func.sum(lines.c.cost), 0),
        func.sum(Order.discount_cents),
        func.sum(Order.total_cents),
    ]


def _order_rollup_select(
    conn: Connection, tz: ZoneInfo, span: tuple[datetime, datetime], *, reps: bool
) -> Any:
    lines = per_order_lines().subquery("lines")
    day = local_date(Order.ordered_at, tz, conn.dialect, span=span)
    group = (
        [Order.sales_rep_id]
        if reps
        else [
            func.coalesce(Customer.region, literal("")),
            func.coalesce(Order.payment_mode, literal("")),
        ]
    )
    query = (
        select(day, Order.status, *group, *order_measures(lines))
        .select_from(Order)
        .outerjoin(lines, lines.c.order_id == Order.id)
        .group_by(day, Order.status, *group)
    )
    if reps:
        return query.where(Order.sales_rep_id.is_not(None))
    return query.join(Customer, Customer.id == Order.customer_id)


def _item_rollup_select(
    conn: Connection, tz: ZoneInfo, span: tuple[datetime, datetime], *, dimension: Any
) -> Any:
    monthly = dimension is OrderItem.product_id
    bucket = (local_month if monthly else local_date)(
        OrderItem.ordered_at, tz, conn.dialect, span=span
    )
    query = (
        select(
            bucket,
            Order.status,
            dimension,
            func.count(func.distinct(OrderItem.order_id)),
            func.sum(OrderItem.quantity),
            func.sum(OrderItem.quantity * OrderItem.unit_price_cents),
            func.sum(OrderItem.quantity * OrderItem.unit_cost_cents),
        )
        .select_from(OrderItem)
        .join(Order, item_order_join())
        .group_by(bucket, Order.status, dimension)
    )
    if monthly:
        return query
    query = query.join(Product, Product.id == OrderItem.product_id)
    if dimension is Category.parent_id:
        query = query.join(Category, Category.id == Product.category_id).where(
            Category.parent_id.is_not(None)
        )
    return query


def rebuild(conn: Connection, tz: ZoneInfo) -> dict[str, int]:
    """Recompute every rollup from the raw rows; returns the row count per rollup table."""
    oldest, newest = conn.execute(
        select(func.min(Order.ordered_at), func.max(Order.ordered_at))
    ).one()
    for model in ROLLUP_TABLES:
        conn.execute(delete(model.__table__))
    if oldest is None:
        return {model.__tablename__: 0 for model in ROLLUP_TABLES}
    span = (oldest, newest + timedelta(seconds=1))
    sources = {
        SalesDaily: _order_rollup_select(conn, tz, span, reps=False),
        RepDaily: _order_rollup_select(conn, tz, span, reps=True),
        CategoryDaily: union_all(
            _item_rollup_select(conn, tz, span, dimension=Product.category_id),
            _item_rollup_select(conn, tz, span, dimension=Category.parent_id),
        ),
        ProductMonthly: _item_rollup_select(conn, tz, span, dimension=OrderItem.product_id),
    }
    counts = {}
    for model, source in sources.items():
        table = model.__table__
        columns = [*_key_columns(table), *_measures(table)]
        conn.execute(table.insert().from_select(columns, source))
        counts[model.__tablename__] = conn.execute(
            select(func.count()).select_from(table)
        ).scalar_one()
    conn.execute(update(DataVersion).where(DataVersion.id == 1).values(rollup_timezone=tz.key))
    return counts
