"""Writing orders: creating them and moving them through the status machine.

Each write is one transaction that changes the order, stock, the customer's statistics
and the rollups together, in a write transaction (see :mod:`shopx.catalog.service`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import money
from shopx.analytics.reporting import ReportingRules
from shopx.bounds import MAX_CENTS, MAX_ORDER_LINES, MAX_QUANTITY, MAX_TIME, MIN_TIME
from shopx.customers.stats import (
    StatsDelta,
    add_to_customer_stats,
    refresh_customer_stats,
    stats_addition,
)
from shopx.db.dialect import generic_plans, is_postgres, next_ids
from shopx.db.models import (
    Category,
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    SalesRepresentative,
    utc_now,
)
from shopx.db.rows import get_row
from shopx.errors import BadInput, NotFound, ShopXError
from shopx.orders.rows import NewRows, write_rows
from shopx.orders.status import HOLDS_STOCK, check_transition, releases_stock
from shopx.orders.stock import return_stock, stock_rows
from shopx.rollups.deltas import (
    Line,
    OrderFacts,
    apply_order_change,
    apply_order_changes,
    load_order_facts,
)

FUTURE_TOLERANCE = timedelta(minutes=5)
"""How far ahead of the server clock an order time may be (client clocks drift)."""


@dataclass(frozen=True, slots=True)
class NewLine:
    product_id: int
    quantity: int
    unit_price_cents: int | None = None
    """None: the product's current selling price."""


@dataclass(frozen=True, slots=True)
class NewOrder:
    customer_id: int
    lines: tuple[NewLine, ...]
    sales_rep_id: int | None = None
    ordered_at: datetime | None = None
    """None: now. Past times are backfills."""
    status: OrderStatus = OrderStatus.PENDING
    payment_mode: str | None = None
    channel: str | None = None
    discount_cents: int = 0


async def create_order(
    session: AsyncSession, new: NewOrder, *, rules: ReportingRules, now: datetime
) -> Order:
    """Place one order (:func:`create_orders` for one): the order, or its error raised."""
    (placed,) = await create_orders(session, [new], rules=rules, now=now)
    if isinstance(placed, ShopXError):
        raise placed
    return placed


async def create_orders(
    session: AsyncSession, news: Sequence[NewOrder], *, rules: ReportingRules, now: datetime
) -> list[Order | ShopXError]:
    """Place many orders in the session's transaction, each one all or nothing: the result
    at each position is the order placed or the error that kept it out (nothing of it
    written).

    Every check is made before anything is written, so an order that fails leaves no
    trace, and the orders that pass are written together. On PostgreSQL: one statement
    reads their customers and reps, locks their products and reads their stock (rows in
    id order, so concurrent writers queue instead of deadlocking) and draws their ids;
    one writes the stock, the orders and their items; one adds to the rollups and the
    customers' statistics (SQLite: a statement for each read and each table).
    Stock is handed out in the orders' order: of two orders wanting the last unit, the
    first gets it and the second fails for stock.
    """
    results: list[Order | ShopXError | None] = [None] * len(news)
    # The statements below are by key, over arrays or over one customer's recent orders:
    # planning each anew cost more than most of them take to run.
    async with generic_plans(session):
        await _place(session, news, rules, now, results)
    done: list[Order | ShopXError] = []
    for result in results:
        assert result is not None, "every order is placed or refused"
        done.append(result)
    return done


async def _place(
    session: AsyncSession,
    news: Sequence[NewOrder],
    rules: ReportingRules,
    now: datetime,
    results: list[Order | ShopXError | None],
) -> None:
    """:func:`create_orders`' work: each order's result goes to its place in ``results``."""
    # The reads below go on the connection: what the session holds unwritten goes first, as
    # the ORM's own reads would have sent it.
    await session.flush()
    customers, reps, products, ids = await _read_known(session, news)
    placed: list[Checked] = []
    for index, new in enumerate(news):
        try:
            ordered_at = _order_time(new.ordered_at, now)
            items = _checked_items(new, customers, reps, products)
        except ShopXError as error:
            results[index] = error
            continue
        placed.append((index, new, ordered_at, items))
    placed, stock = _take_stock(placed, products, results)
    if placed:
        await _write(session, placed, stock, customers, products, rules, results, ids)


class _Known(NamedTuple):
    """What the orders' checks, stock and rollups need, read before any is placed."""

    customers: dict[int, _Customer]
    reps: dict[int, _Rep]
    products: dict[int, _Product]
    """Locked until the transaction ends: the orders take their stock as read here
    (:func:`_take_stock`), so two orders can never both take the last unit."""
    ids: tuple[list[int], list[int]] | None
    """Ids drawn ahead for every order and line asked for (PostgreSQL), else None."""


async def _read_known(session: AsyncSession, news: Sequence[NewOrder]) -> _Known:
    """:class:`_Known` for ``news``: on PostgreSQL in one statement (:data:`KNOWN_POSTGRES`),
    ids included, where it took four round trips in the writers' turn."""
    customer_ids = sorted({new.customer_id for new in news})
    rep_ids = sorted({new.sales_rep_id for new in news if new.sales_rep_id is not None})
    product_ids = sorted({line.product_id for new in news for line in new.lines})
    if not is_postgres(session.bind):
        return _Known(
            await _by_id(session, CUSTOMERS, _Customer, customer_ids),
            await _by_id(session, REPS, _Rep, rep_ids),
            await _by_id(session, LOCKED_PRODUCTS, _Product, product_ids),
            None,
        )
    # Ids for the lines of orders that can pass their count check: one order of 40,000
    # lines (a body's worth) draws none before it is refused.
    lines = sum(len(new.lines) for new in news if len(new.lines) <= MAX_ORDER_LINES)
    arguments = (customer_ids, rep_ids, product_ids, len(news), lines)
    conn = await session.connection()
    customers, reps, products, order_ids, item_ids = (
        await conn.exec_driver_sql(KNOWN_POSTGRES, arguments)
    ).one()
    return _Known(
        _shaped(customers, _Customer),
        _shaped(reps, _Rep),
        _shaped(products, _Product),
        (list(order_ids), list(item_ids)),
    )


def _shaped(rows: list[list[Any]] | None, shape: Callable[..., Shape]) -> dict[int, Shape]:
    """Rows (a JSON array as the driver decodes it, each row an array, its id first; None
    for none) by id, as ``shape``."""
    return {row[0]: shape(*row) for row in rows or ()}


async def _write(
    session: AsyncSession,
    placed: list[Checked],
    stock: Mapping[int, int],
    customers: Mapping[int, _Customer],
    products: Mapping[int, _Product],
    rules: ReportingRules,
    results: list[Order | ShopXError | None],
    ids: tuple[list[int], list[int]] | None,
) -> None:
    """Write the orders that passed every check, and the ``stock`` they leave. Their ids
    are drawn first (``ids``, drawn with the reads, or :func:`next_ids`), so the rows go in
    together, the stock's with them (:mod:`shopx.orders.rows`; the ORM's unit of work would
    insert them one by one to learn each id on SQLite). Ids drawn for refused orders are
    left unused, as a sequence leaves those of a rolled-back insert."""
    lines_placed = sum(len(items) for _, _, _, items in placed)
    if ids is None:
        ids = await next_ids(
            session, (Order.__table__, len(placed)), (OrderItem.__table__, lines_placed)
        )
    order_ids, item_ids = ids[0][: len(placed)], ids[1][:lines_placed]
    now = utc_now()
    orders = [
        Order(
            id=order_id,
            customer_id=new.customer_id,
            sales_rep_id=new.sales_rep_id,
            ordered_at=ordered_at,
            status=new.status,
            payment_mode=new.payment_mode,
            channel=new.channel,
            discount_cents=new.discount_cents,
            total_cents=_subtotal(items) - new.discount_cents,
            created_at=now,
            updated_at=now,
        )
        for order_id, (_, new, ordered_at, items) in zip(order_ids, placed, strict=True)
    ]
    lines = [
        (order, item) for order, entry in zip(orders, placed, strict=True) for item in entry[3]
    ]
    await write_rows(
        session,
        stock_rows(stock),
        NewRows(
            Order.__table__,
            ORDER_COLUMNS,
            [tuple(getattr(order, name) for name in ORDER_COLUMNS) for order in orders],
        ),
        NewRows(
            OrderItem.__table__,
            ITEM_COLUMNS,
            [
                (item_id, order.id, order.ordered_at, *item)
                for item_id, (order, item) in zip(item_ids, lines, strict=True)
            ],
        ),
    )
    changes = [
        (None, _facts(order, items, customers[order.customer_id], products))
        for order, (_, _, _, items) in zip(orders, placed, strict=True)
    ]
    # New orders only add to their customers' statistics (exact as the stored ones were).
    stats: dict[int, StatsDelta] = {}
    for order in orders:
        if order.status in rules.statuses:
            stats.setdefault(order.customer_id, StatsDelta()).add(
                order.total_cents, 1, order.ordered_at
            )
    if stats and is_postgres(session.bind):
        # In the rollups' statement: a round trip less in the writers' turn.
        also = (stats_addition(session, stats),)
        await apply_order_changes(session, changes, rules.tz, also=also)
    else:
        await apply_order_changes(session, changes, rules.tz)
        await add_to_customer_stats(session, stats)
    for order, (index, _, _, _) in zip(orders, placed, strict=True):
        results[index] = order


async def change_status(
    session: AsyncSession, order_id: int, target: OrderStatus, *, rules: ReportingRules
) -> Order:
    """Move an order along the status machine; cancelling or refunding restocks its items."""
    order = await get_row(session, Order, order_id, field="orderId")
    check_transition(order.status, target)
    before = await load_order_facts(session, order.id)
    if releases_stock(order.status, target):
        await return_stock(session, order)
    order.status = target
    await session.flush()
    await apply_order_change(session, before, await load_order_facts(session, order.id), rules.tz)
    await refresh_customer_stats(session, [order.customer_id], rules.statuses)
    await session.refresh(order)
    return order


def _order_time(requested: datetime | None, now: datetime) -> datetime:
    if requested is None:
        return now
    if not MIN_TIME <= requested <= MAX_TIME:
        raise BadInput(
            f"orderDate must be between {MIN_TIME.isoformat()} and {MAX_TIME.isoformat()},"
            f" got {requested.isoformat()}"
        )
    if requested > now + FUTURE_TOLERANCE:
        raise BadInput(
            f"orderDate {requested.isoformat()} is more than 5 minutes in the future"
            f" (server time {now.isoformat()}); past dates are allowed for backfills"
        )
    return requested


def _check_lines(lines: tuple[NewLine, ...]) -> None:
    if not lines:
        raise BadInput("items: an order needs at least one item")
    if len(lines) > MAX_ORDER_LINES:
        raise BadInput(f"items: an order has at most {MAX_ORDER_LINES} items, got {len(lines)}")
    for index, line in enumerate(lines):
        if line.quantity <= 0:
            raise BadInput(f"items[{index}].quantity must be positive, got {line.quantity}")
        if line.quantity > MAX_QUANTITY:
            raise BadInput(
                f"items[{index}].quantity must be at most {MAX_QUANTITY}, got {line.quantity}"
            )


def _subtotal(items: list[_Item]) -> int:
    """The items' total in cents; each line and the sum at most MAX_CENTS, so stored totals
    and the sums over them stay far inside 64 bits."""
    subtotal = 0
    for index, item in enumerate(items):
        line = item.quantity * item.unit_price_cents
        if line > MAX_CENTS:
            raise BadInput(
                f"items[{index}]: line total {money(line)} ({item.quantity} x"
                f" {money(item.unit_price_cents)}) exceeds the maximum {money(MAX_CENTS)}"
            )
        subtotal += line
    if subtotal > MAX_CENTS:
        raise BadInput(
            f"items: order subtotal {money(subtotal)} exceeds the maximum {money(MAX_CENTS)}"
        )
    return subtotal


class _Customer(NamedTuple):
    id: int
    is_active: bool
    region: str | None


class _Rep(NamedTuple):
    id: int
    is_active: bool


class _Product(NamedTuple):
    id: int
    is_active: bool
    stock_quantity: int
    selling_price_cents: int
    cost_price_cents: int
    category_id: int
    parent_category_id: int | None
    """For the rollups of the category's parent."""


Shape = TypeVar("Shape")

_IDS = bindparam("ids", expanding=True)
CUSTOMERS = select(Customer.id, Customer.is_active, Customer.region).where(Customer.id.in_(_IDS))
REPS = select(SalesRepresentative.id, SalesRepresentative.is_active).where(
    SalesRepresentative.id.in_(_IDS)
)
LOCKED_PRODUCTS = (
    select(
        Product.id,
        Product.is_active,
        Product.stock_quantity,
        Product.selling_price_cents,
        Product.cost_price_cents,
        Product.category_id,
        Category.parent_id,
    )
    .join(Category, Category.id == Product.category_id)
    .where(Product.id.in_(_IDS))
    # One lock order for every writer, so concurrent writers queue instead of deadlocking
    # (on SQLite the write transaction already holds the database's lock).
    .order_by(Product.id)
    .with_for_update(of=Product)
)
"""What an order's checks, stock and rollups need of its customer, rep and products, read
as plain rows: no ORM object is made or kept, so the stock is the one read under the lock
even where the session had loaded a product before."""

KNOWN_POSTGRES = f"""
SELECT
  (SELECT json_agg(json_build_array(id, is_active, region))
     FROM customers WHERE id = ANY($1::bigint[])),
  (SELECT json_agg(json_build_array(id, is_active))
     FROM sales_representatives WHERE id = ANY($2::bigint[])),
  (SELECT json_agg(json_build_array(id, is_active, stock_quantity, selling_price_cents,
                                    cost_price_cents, category_id, parent_id))
     FROM (SELECT p.id, p.is_active, p.stock_quantity, p.selling_price_cents,
                  p.cost_price_cents, p.category_id, c.parent_id
             FROM products p JOIN categories c ON c.id = p.category_id
            WHERE p.id = ANY($3::bigint[])
            ORDER BY p.id FOR UPDATE OF p) AS locked),
  array(SELECT nextval('{Order.__table__.c.id.default.name}') FROM generate_series(1, $4::int)),
  array(SELECT nextval('{OrderItem.__table__.c.id.default.name}')
          FROM generate_series(1, $5::int))
"""
"""PostgreSQL: :data:`CUSTOMERS`, :data:`REPS` and :data:`LOCKED_PRODUCTS` (locked in the
same id order) as JSON arrays of rows, and ids for $4 orders and $5 lines: one round trip."""


async def _by_id(
    session: AsyncSession, query: Select[Any], shape: Callable[..., Shape], ids: Collection[int]
) -> dict[int, Shape]:
    """The rows of ``query`` (first column the id) for ``ids``, each made a ``shape``."""
    if not ids:
        return {}
    found = await (await session.connection()).execute(query, {"ids": sorted(ids)})
    return {row[0]: shape(*row) for row in found}


ORDER_COLUMNS = tuple(column.key for column in Order.__table__.columns)


class _Item(NamedTuple):
    """An order line as it is stored, but for its ids and time (given as it is written)."""

    product_id: int
    quantity: int
    unit_price_cents: int
    unit_cost_cents: int


ITEM_COLUMNS = ("id", "order_id", "ordered_at", *_Item._fields)


def _checked_items(
    new: NewOrder,
    customers: Mapping[int, _Customer],
    reps: Mapping[int, _Rep],
    products: Mapping[int, _Product],
) -> list[_Item]:
    """The order's items, after every check that needs no lock: NOT_FOUND or BAD_USER_INPUT
    naming the field otherwise."""
    _check_lines(new.lines)
    customer = customers.get(new.customer_id)
    if customer is None:
        raise NotFound(f"customerId: customer {new.customer_id} not found")
    if not customer.is_active:
        raise BadInput(f"customerId: customer {customer.id} is deleted")
    if new.sales_rep_id is not None:
        rep = reps.get(new.sales_rep_id)
        if rep is None:
            raise NotFound(f"salesRepId: sales rep {new.sales_rep_id} not found")
        if not rep.is_active:
            raise BadInput(f"salesRepId: sales rep {rep.id} is inactive")
    for index, line in enumerate(new.lines):
        found = products.get(line.product_id)
        if found is None:
            raise NotFound(f"items[{index}].productId: product {line.product_id} not found")
        if not found.is_active:
            raise BadInput(f"items[{index}].productId: product {line.product_id} is deleted")
    items = _items(new.lines, products)
    subtotal = _subtotal(items)
    if new.discount_cents > subtotal:
        raise BadInput(
            f"discount {money(new.discount_cents)} exceeds the item subtotal {money(subtotal)}"
        )
    return items


Checked = tuple[int, NewOrder, datetime, list[_Item]]
"""An order that passed its checks: its position, what was asked, its time, its items."""


def _take_stock(
    placed: list[Checked],
    products: Mapping[int, _Product],
    results: list[Order | ShopXError | None],
) -> tuple[list[Checked], dict[int, int]]:
    """Take the stock of the orders that hold it (of the locked ``products``), in their
    order; the ones it runs short for get their error in ``results`` and are left out of
    the list returned, with the stock left of each product the others took from (for
    :func:`_write` to store)."""
    wanted = [(entry, _quantities(entry[1])) for entry in placed]
    stock = {pid: products[pid].stock_quantity for _, q in wanted for pid in q}
    taken = Counter[int]()
    kept = []
    for entry, quantities in wanted:
        short = next((pid for pid in sorted(quantities) if quantities[pid] > stock[pid]), None)
        if short is not None:
            results[entry[0]] = BadInput(
                f"items: insufficient stock for product {short}:"
                f" {quantities[short]} requested, {stock[short]} available"
            )
            continue
        for product_id, quantity in quantities.items():
            stock[product_id] -= quantity
        taken.update(quantities)
        kept.append(entry)
    # Only the products some order took from: the others stay as they were (updated_at too).
    return kept, {product_id: stock[product_id] for product_id in taken}


def _quantities(new: NewOrder) -> Counter[int]:
    """Units per product the order takes from stock (none unless its status holds stock)."""
    quantities = Counter[int]()
    if new.status in HOLDS_STOCK:
        for line in new.lines:
            quantities[line.product_id] += line.quantity
    return quantities


def _facts(
    order: Order, items: list[_Item], customer: _Customer, products: Mapping[int, _Product]
) -> OrderFacts:
    """What the rollups know of a new order, from what was just written."""
    return OrderFacts(
        customer_id=order.customer_id,
        ordered_at=order.ordered_at,
        status=order.status,
        region=customer.region or "",
        payment_mode=order.payment_mode or "",
        sales_rep_id=order.sales_rep_id,
        discount_cents=order.discount_cents,
        total_cents=order.total_cents,
        lines=tuple(
            Line(
                item.product_id,
                products[item.product_id].category_id,
                products[item.product_id].parent_category_id,
                item.quantity,
                item.unit_price_cents,
                item.unit_cost_cents,
            )
            for item in items
        ),
    )


def _items(lines: tuple[NewLine, ...], products: Mapping[int, _Product]) -> list[_Item]:
    """The order's items, with the price asked (or the current one) and the current cost."""
    items = []
    for line in lines:
        product = products[line.product_id]
        price = line.unit_price_cents
        items.append(
            _Item(
                product.id,
                line.quantity,
                product.selling_price_cents if price is None else price,
                product.cost_price_cents,
            )
        )
    return items
