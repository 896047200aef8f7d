"""The rollup measures, listed once, and the item-sales aggregation built from them.

A rollup row counts its distinct ``orders`` and sums each line measure over the order
lines under its key; the order rollups also sum each order measure. A measure is one
expression over anything that has the columns it names, so the same expression is the
SQL of the rebuild, the history moves and the analytics queries (over ``OrderItem`` and
``Order``), the Python of the incremental upkeep (over an order's facts) and the numpy
of the seeder's build (over generated columns).

Adding a measure: add it to :data:`LINE_MEASURES` or :data:`ORDER_LEVEL_MEASURES`, add
its column in a migration, and test it. The rollup tables, the rebuild, the deltas, the
moves and the seeder's build all follow the lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, select, union_all

from shopx.db.dialect import integer_sum
from shopx.db.models import Category, Order, OrderItem, Product, item_order_join, placed_between


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    """The rollup column, and the attribute it is summed into."""
    value: Callable[[Any], Any]
    """What one order line (or order) adds: its columns in, whether SQL, ints or arrays."""


LINE_MEASURES = (
    Measure("units", lambda line: line.quantity),
    Measure("item_sales_cents", lambda line: line.quantity * line.unit_price_cents),
    Measure("cost_cents", lambda line: line.quantity * line.unit_cost_cents),
)
"""Sums over order lines: units, item sales (as
:attr:`shopx.analytics.metrics.ItemTotals.item_sales_cents` defines them) and cost
(quantity x the unit cost captured at sale time)."""

ORDER_LEVEL_MEASURES = (
    Measure("discount_cents", lambda order: order.discount_cents),
    Measure("revenue_cents", lambda order: order.total_cents),
)
"""Sums over orders, kept by the order rollups only: discount and the order's total."""

ORDERS = "orders"
"""The distinct orders under a key: counted, not summed, so an order counts once."""

ITEM_MEASURES = (ORDERS, *(measure.name for measure in LINE_MEASURES))
ORDER_MEASURES = (*ITEM_MEASURES, *(measure.name for measure in ORDER_LEVEL_MEASURES))

PRODUCT = OrderItem.product_id
_CATEGORY_KEYS = union_all(
    select(Category.id.label("category_id"), Category.id.label("key")),
    select(Category.id.label("category_id"), Category.parent_id.label("key")).where(
        Category.parent_id.is_not(None)
    ),
).subquery("category_keys")
"""Each category with the category rows its lines count in: its own, and its parent's."""

CATEGORY = _CATEGORY_KEYS.c.key
"""The category a line counts in, its own or its parent (a line comes once for each): an
order with lines in a category and in one of its subcategories counts once for it. With
:data:`PRODUCT`, the item dimensions :func:`item_sales` can group by."""


def line_values(line: Any) -> list[Any]:
    """What one order line adds to each of :data:`LINE_MEASURES`."""
    return [measure.value(line) for measure in LINE_MEASURES]


def line_sums(lines: Iterable[Any]) -> list[int]:
    """:data:`LINE_MEASURES` summed over ``lines`` (Python values)."""
    sums = [0] * len(LINE_MEASURES)
    for line in lines:
        for index, value in enumerate(line_values(line)):
            sums[index] += value
    return sums


def add_line(totals: Any, line: Any) -> None:
    """Add one order line to the attributes of ``totals`` named after the line measures."""
    for measure in LINE_MEASURES:
        setattr(totals, measure.name, getattr(totals, measure.name) + measure.value(line))


def order_values(order: Any) -> list[Any]:
    """One order's :data:`ORDER_LEVEL_MEASURES`."""
    return [measure.value(order) for measure in ORDER_LEVEL_MEASURES]


def item_measures(orders: Any = None) -> list[Any]:
    """:data:`ITEM_MEASURES` as SQL aggregates over the rows of :func:`item_sales`.

    ``orders`` replaces the distinct order count (a history move counts fewer orders).
    """
    counted = func.count(func.distinct(OrderItem.order_id)) if orders is None else orders
    sums = [integer_sum(measure.value(OrderItem)) for measure in LINE_MEASURES]
    return [cast(counted, BigInteger), *sums]


def item_sales(
    columns: Sequence[Any], by: Any = None, *, placed: tuple[datetime, datetime] | None = None
) -> Select[Any]:
    """SELECT ``columns`` FROM order items joined to their orders (add WHERE and GROUP BY).

    ``by`` is the item dimension the query groups by, :data:`PRODUCT` or :data:`CATEGORY`,
    and brings in the tables it needs: grouped by :data:`CATEGORY`, each item comes once
    for its product's category and once more for that category's parent, if any.

    ``placed`` (start, end) keeps the items placed in ``[start, end)``, the range stated on
    both tables, and joins them to their orders on the order id alone: an item's
    ``ordered_at`` is its order's (the composite foreign key), and PostgreSQL, taking the two
    equalities of :func:`item_order_join` as independent, expects one joined row where there
    are tens of thousands and loops over the category keys once per item (600 ms instead of
    100 for half a day's items at scale L).
    """
    if placed is None:
        query = select(*columns).select_from(OrderItem).join(Order, item_order_join())
    else:
        query = (
            select(*columns)
            .select_from(OrderItem)
            .join(Order, Order.id == OrderItem.order_id)
            .where(*placed_between(*placed))
        )
    if by is CATEGORY:
        query = query.join(Product, Product.id == OrderItem.product_id).join(
            _CATEGORY_KEYS, _CATEGORY_KEYS.c.category_id == Product.category_id
        )
    return query


def per_order_lines() -> Select[Any]:
    """:data:`LINE_MEASURES` per order, as ``order_id`` and one column per measure (a
    SELECT to filter and turn into a subquery for :func:`order_measures`)."""
    sums = [integer_sum(measure.value(OrderItem)).label(measure.name) for measure in LINE_MEASURES]
    return select(OrderItem.order_id.label("order_id"), *sums).group_by(OrderItem.order_id)


def order_measures(lines: Any) -> list[Any]:
    """:data:`ORDER_MEASURES` over orders outer-joined to their :func:`per_order_lines`
    subquery (an order without lines adds zero to each line measure)."""
    return [
        func.count(),
        *(func.coalesce(integer_sum(lines.c[measure.name]), 0) for measure in LINE_MEASURES),
        *(integer_sum(measure.value(Order)) for measure in ORDER_LEVEL_MEASURES),
    ]
