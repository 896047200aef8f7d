"""Writing orders: creating them and moving them through the status machine.

Each write is one transaction that changes the order, stock, the customer's statistics
and the rollups together, in a write transaction (see :mod:`shopx.catalog.service`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.analytics.metrics import money
from shopx.analytics.reporting import ReportingRules
from shopx.bounds import MAX_CENTS, MAX_ORDER_LINES, MAX_QUANTITY, MAX_TIME, MIN_TIME
from shopx.customers.stats import refresh_customer_stats
from shopx.db.models import Customer, Order, OrderItem, OrderStatus, Product, SalesRepresentative
from shopx.db.rows import get_row
from shopx.errors import BadInput, NotFound
from shopx.orders.status import HOLDS_STOCK, check_transition, releases_stock
from shopx.orders.stock import return_stock, take_stock
from shopx.rollups.deltas import apply_order_change, load_order_facts

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
    ordered_at = _order_time(new.ordered_at, now)
    _check_lines(new.lines)
    customer = await get_row(session, Customer, new.customer_id, field="customerId")
    if not customer.is_active:
        raise BadInput(f"customerId: customer {customer.id} is deleted")
    if new.sales_rep_id is not None:
        rep = await get_row(session, SalesRepresentative, new.sales_rep_id, field="salesRepId")
        if not rep.is_active:
            raise BadInput(f"salesRepId: sales rep {rep.id} is inactive")
    items = _items(new.lines, await _products(session, new.lines), ordered_at)
    subtotal = _subtotal(items)
    if new.discount_cents > subtotal:
        raise BadInput(
            f"discount {money(new.discount_cents)} exceeds the item subtotal {money(subtotal)}"
        )
    if new.status in HOLDS_STOCK:
        quantities = Counter[int]()
        for line in new.lines:
            quantities[line.product_id] += line.quantity
        await take_stock(session, quantities)

    order = Order(
        customer_id=customer.id,
        sales_rep_id=new.sales_rep_id,
        ordered_at=ordered_at,
        status=new.status,
        payment_mode=new.payment_mode,
        channel=new.channel,
        discount_cents=new.discount_cents,
        total_cents=subtotal - new.discount_cents,
    )
    session.add(order)
    await session.flush()
    for item in items:
        item.order_id = order.id
    session.add_all(items)
    await session.flush()
    await apply_order_change(session, None, await load_order_facts(session, order.id), rules.tz)
    await refresh_customer_stats(session, [customer.id], rules.statuses)
    await session.refresh(order)
    return order


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


def _subtotal(items: list[OrderItem]) -> int:
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


async def _products(session: AsyncSession, lines: tuple[NewLine, ...]) -> dict[int, Product]:
    """The lines' products by id; every one must exist and be active."""
    wanted = {line.product_id for line in lines}
    found = await session.scalars(select(Product).where(Product.id.in_(wanted)))
    products = {product.id: product for product in found}
    for index, line in enumerate(lines):
        product = products.get(line.product_id)
        if product is None:
            raise NotFound(f"items[{index}].productId: product {line.product_id} not found")
        if not product.is_active:
            raise BadInput(f"items[{index}].productId: product {product.id} is deleted")
    return products


def _items(
    lines: tuple[NewLine, ...], products: dict[int, Product], ordered_at: datetime
) -> list[OrderItem]:
    """The order's items, with the price asked (or the current one) and the current cost."""
    items = []
    for line in lines:
        product = products[line.product_id]
        price = line.unit_price_cents
        items.append(
            OrderItem(
                ordered_at=ordered_at,
                product_id=product.id,
                quantity=line.quantity,
                unit_price_cents=product.selling_price_cents if price is None else price,
                unit_cost_cents=product.cost_price_cents,
            )
        )
    return items
