"""Rolling the seeded demo forward: its open orders moved on and new orders up to a moment.

One step runs in the caller's write transaction and writes what the API's order writes
would: the orders and items, stock, the customers' statistics and the rollups (folded in
by :func:`shopx.rollups.deltas.apply_order_changes` from the orders' facts, as a status
change or a new order through the API folds them). The record's moment moves in the same
transaction, only if it still holds the moment the step started from, so no stretch of
time is ever added twice.

Demo stock behaves like a shop's that gets deliveries: new orders take their units, a
cancelled or refunded one gives them back, and a product the step would sell out gets a
delivery that leaves it at ``RESTOCK_LEVELS`` times its reorder level (20 units at least).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.reporting import ReportingRules
from shopx.customers.stats import refresh_customer_stats
from shopx.db.dialect import is_postgres, move_sequences_past_rows
from shopx.db.models import (
    Customer,
    DemoBatch,
    DemoSeed,
    Order,
    OrderItem,
    Product,
    SalesRepresentative,
)
from shopx.db.partitions import ensure_partitions
from shopx.errors import Conflict
from shopx.orders.status import HOLDS_STOCK, releases_stock
from shopx.rollups.deltas import Change, OrderFacts, apply_order_changes, load_orders_facts
from shopx.seed.extension import (
    NewOrders,
    Shop,
    epoch_seconds,
    habits,
    moved_on,
    orders_between,
    region_codes,
)
from shopx.seed.orders import CHANNELS, PAYMENT_MODES, STATUSES
from shopx.seed.record import add_batch
from shopx.seed.scales import SCALES

RESTOCK_LEVELS, RESTOCK_FLOOR = 4, 20
CUSTOMER_BATCH = 10_000
OPEN = (STATUSES[0], STATUSES[1])


@dataclass(frozen=True)
class Step:
    start: datetime
    end: datetime
    orders: int
    """New orders written."""
    moved: int
    """Open demo orders whose status moved on."""


async def roll_forward(
    session: AsyncSession, record: DemoSeed, end: datetime, rules: ReportingRules, shop: Shop
) -> Step:
    """Extend the demo of ``record`` (read in this transaction) to ``end``, with new orders
    from ``shop`` (:func:`read_shop`, which the caller reads before its write: at scale M
    it took 0.6 s, and the generator's habits 0.4 s the first time, of a 1.3 s turn)."""
    start = record.reached_at
    if end <= start:
        return Step(start, start, 0, 0)
    learned = await asyncio.to_thread(habits, record.scale, record.random_seed, record.seeded_until)
    changes, released, customers = await _move_open_orders(session, record, start, end)
    new = await asyncio.to_thread(orders_between, learned, shop, record.random_seed, start, end)
    first_id = await _insert(session, new, start, end)
    added = await load_orders_facts(session, list(range(first_id, first_id + len(new))))
    taken = Counter[int]()
    for facts in added.values():
        if facts.status in HOLDS_STOCK:
            for line in facts.lines:
                taken[line.product_id] += line.quantity
    await _restock_and_move_stock(session, taken, released)
    changes.extend((None, facts) for facts in added.values())
    await apply_order_changes(session, changes, rules.tz)
    touched = sorted(customers | set(new.customer_id.tolist()))
    for batch in range(0, len(touched), CUSTOMER_BATCH):
        ids = touched[batch : batch + CUSTOMER_BATCH]
        await refresh_customer_stats(session, ids, rules.statuses)
    if len(new):
        await add_batch(session, first_id, first_id + len(new) - 1, start, end)
    moved = await session.execute(
        update(DemoSeed)
        .where(DemoSeed.id == 1, DemoSeed.reached_at == start)
        .values(reached_at=end)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise Conflict("the demo moved on while this step ran; nothing was written")
    return Step(start, end, len(new), len(changes) - len(added))


async def read_shop(session: AsyncSession, scale: str) -> Shop:
    """The seeded customers, products and reps that are still active, as stored now."""
    counts = SCALES[scale]
    customer_ids, regions = await _seeded(session, counts.customers, Customer.region)
    product_ids, prices, costs = await _seeded(
        session, counts.products, Product.selling_price_cents, Product.cost_price_cents
    )
    rep_ids, rep_regions = await _seeded(session, counts.reps, SalesRepresentative.region)
    return Shop(
        customer_ids=_ints(customer_ids),
        customer_region=region_codes(regions),
        product_ids=_ints(product_ids),
        price_cents=_ints(prices),
        cost_cents=_ints(costs),
        rep_ids=_ints(rep_ids),
        rep_region=region_codes(rep_regions),
    )


async def _seeded(session: AsyncSession, count: int, *columns: Any) -> list[list[Any]]:
    """Ids 1 to ``count`` (the seeded rows) of the columns' table that are still active,
    with the columns; one list per column, ids first, in id order."""
    model = columns[0].class_
    rows = await session.execute(
        select(model.id, *columns).where(model.is_active, model.id <= count).order_by(model.id)
    )
    found: list[list[Any]] = [[] for _ in range(len(columns) + 1)]
    for row in rows:
        for values, value in zip(found, row, strict=True):
            values.append(value)
    return found


def _ints(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


async def _move_open_orders(
    session: AsyncSession, record: DemoSeed, start: datetime, end: datetime
) -> tuple[list[Change], Counter[int], set[int]]:
    """Demo orders still open whose course says they have moved on by ``end`` get their
    status; returns their changes, the units that went back to stock and their customers."""
    in_batch = exists().where(
        DemoBatch.first_order_id <= Order.id, DemoBatch.last_order_id >= Order.id
    )
    open_orders = (
        await session.execute(
            select(Order.id, Order.ordered_at, Order.customer_id, Order.status)
            .where(Order.status.in_(OPEN), Order.ordered_at < start, in_batch)
            .order_by(Order.id)
        )
    ).all()
    if not open_orders:
        return [], Counter(), set()
    current = np.array([STATUSES.index(row.status) for row in open_orders])
    status = moved_on(
        record.random_seed,
        np.array([epoch_seconds(row.ordered_at) for row in open_orders], dtype=np.int64),
        np.array([row.customer_id for row in open_orders], dtype=np.int64),
        current,
        epoch_seconds(record.seeded_until),
        epoch_seconds(end),
    )
    moving = [
        (row, STATUSES[code])
        for row, code, was in zip(open_orders, status.tolist(), current.tolist(), strict=True)
        if code != was
    ]
    if not moving:
        return [], Counter(), set()
    before = await load_orders_facts(session, [row.id for row, _ in moving])
    table = Order.__table__
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("oid"), table.c.ordered_at == bindparam("at"))
        .values(status=bindparam("target"), updated_at=end),
        [{"oid": row.id, "at": row.ordered_at, "target": target} for row, target in moving],
    )
    changes: list[Change] = []
    released = Counter[int]()
    for row, target in moving:
        facts: OrderFacts = before[row.id]
        changes.append((facts, replace(facts, status=target)))
        if releases_stock(facts.status, target):
            for line in facts.lines:
                released[line.product_id] += line.quantity
    return changes, released, {row.customer_id for row, _ in moving}


async def _insert(session: AsyncSession, new: NewOrders, start: datetime, end: datetime) -> int:
    """Write the new orders and their items with the next ids; returns the first order id."""
    first_order = (await session.scalar(select(func.max(Order.id))) or 0) + 1
    if not len(new):
        return first_order
    if is_postgres(session.bind):
        await session.run_sync(
            lambda sync: ensure_partitions(
                sync.connection(), first=start.date(), last=end.date(), today=end.date()
            )
        )
    first_item = (await session.scalar(select(func.max(OrderItem.id))) or 0) + 1
    placed = [_moment(second) for second in new.placed.tolist()]
    orders = _rows(
        id=range(first_order, first_order + len(new)),
        customer_id=new.customer_id.tolist(),
        sales_rep_id=[rep if rep >= 0 else None for rep in new.rep_id.tolist()],
        ordered_at=placed,
        status=[STATUSES[code] for code in new.status.tolist()],
        payment_mode=[PAYMENT_MODES[code] for code in new.payment.tolist()],
        channel=[CHANNELS[code] for code in new.channel.tolist()],
        discount_cents=new.discount_cents.tolist(),
        total_cents=new.total_cents.tolist(),
        created_at=placed,
        updated_at=[_moment(second) for second in new.updated.tolist()],
    )
    items = _rows(
        id=range(first_item, first_item + len(new.line_order)),
        order_id=(new.line_order + first_order).tolist(),
        ordered_at=[placed[order] for order in new.line_order.tolist()],
        product_id=new.product_id.tolist(),
        quantity=new.quantity.tolist(),
        unit_price_cents=new.unit_price_cents.tolist(),
        unit_cost_cents=new.unit_cost_cents.tolist(),
    )
    await session.execute(Order.__table__.insert(), orders)
    await session.execute(OrderItem.__table__.insert(), items)
    await move_sequences_past_rows(await session.connection(), ("orders", "order_items"))
    return first_order


def _moment(second: int) -> datetime:
    return datetime.fromtimestamp(second, UTC)


def _rows(**columns: Iterable[Any]) -> list[dict[str, Any]]:
    """Columns of equal length as rows (one dict each), for an executemany insert."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


async def _restock_and_move_stock(
    session: AsyncSession, taken: Counter[int], released: Counter[int]
) -> None:
    """Take the sold units and put back the released ones; a product this would sell out
    gets a delivery first (module doc)."""
    products = sorted(set(taken) | set(released))
    if not products:
        return
    levels = {
        product: (stock, reorder)
        for product, stock, reorder in await session.execute(
            select(Product.id, Product.stock_quantity, Product.reorder_level).where(
                Product.id.in_(products)
            )
        )
    }
    moves = []
    for product in products:
        stock, reorder = levels[product]
        after = stock + released[product] - taken[product]
        if after <= 0:
            after = max(RESTOCK_FLOOR, RESTOCK_LEVELS * reorder)
        if after != stock:
            moves.append({"pid": product, "delta": after - stock})
    if not moves:
        return
    table = Product.__table__
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("pid"))
        .values(stock_quantity=table.c.stock_quantity + bindparam("delta")),
        moves,
    )
