"""Small keyword-only factories for database tests: each call writes one row and returns it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Category, Customer, Order, OrderItem, Product, SalesRepresentative

_serial = itertools.count(1)


async def category(
    session: AsyncSession, *, name: str | None = None, parent: Category | None = None
) -> Category:
    row = Category(
        name=name or f"Category {next(_serial)}", parent_id=parent.id if parent else None
    )
    session.add(row)
    await session.flush()
    return row


async def product(
    session: AsyncSession,
    *,
    category: Category,
    price_cents: int = 1000,
    cost_cents: int = 600,
    stock: int = 100,
    brand: str | None = "Acme",
    name: str | None = None,
    reorder_level: int = 10,
) -> Product:
    n = next(_serial)
    row = Product(
        sku=f"SKU-{n}",
        name=name or f"Product {n}",
        brand=brand,
        category_id=category.id,
        cost_price_cents=cost_cents,
        selling_price_cents=price_cents,
        stock_quantity=stock,
        reorder_level=reorder_level,
    )
    session.add(row)
    await session.flush()
    return row


async def customer(
    session: AsyncSession, *, region: str | None = "North", name: str | None = None
) -> Customer:
    n = next(_serial)
    row = Customer(name=name or f"Customer {n}", email=f"customer{n}@example.com", region=region)
    session.add(row)
    await session.flush()
    return row


async def rep(
    session: AsyncSession, *, region: str | None = "North", commission_bp: int = 500
) -> SalesRepresentative:
    n = next(_serial)
    row = SalesRepresentative(
        name=f"Rep {n}",
        email=f"rep{n}@example.com",
        region=region,
        commission_rate_bp=commission_bp,
    )
    session.add(row)
    await session.flush()
    return row


async def order(
    session: AsyncSession,
    *,
    customer: Customer,
    lines: list[tuple[Product, int]] | list[tuple[Product, int, int]],
    at: datetime | None = None,
    status: str = "COMPLETED",
    discount_cents: int = 0,
    rep: SalesRepresentative | None = None,
    payment_mode: str | None = "card",
) -> Order:
    """An order totalling its lines (at the product price unless given) less the discount."""
    at = at or datetime.now(UTC)
    priced = [
        (item[0], item[1], item[2] if len(item) > 2 else item[0].selling_price_cents)
        for item in lines
    ]
    subtotal = sum(quantity * price for _, quantity, price in priced)
    row = Order(
        customer_id=customer.id,
        sales_rep_id=rep.id if rep else None,
        ordered_at=at,
        status=status,
        payment_mode=payment_mode,
        channel="web",
        discount_cents=discount_cents,
        total_cents=subtotal - discount_cents,
    )
    session.add(row)
    await session.flush()
    for item, quantity, price in priced:
        session.add(
            OrderItem(
                order_id=row.id,
                ordered_at=at,
                product_id=item.id,
                quantity=quantity,
                unit_price_cents=price,
                unit_cost_cents=item.cost_price_cents,
            )
        )
    await session.flush()
    return row
