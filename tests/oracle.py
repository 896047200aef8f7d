"""An independent recomputation of the analytics from raw rows, in plain Python.

It reads the raw tables with plain SQL and computes each metric by the definitions the
README gives under "How the numbers are defined" and the schema descriptions repeat:
revenue is the orders in the revenue statuses, net of discount, summed in integer cents
and shown rounded half up to two places; product and category figures are item sales
(quantity x unit price, quantity x unit cost) before order discounts, an order counted
once per product or category; days are cut at local midnight in the business time zone;
customer segments follow the RFM quintile rules of ``customerSegments``. It shares
nothing with the services but the period edges, which the tests take from
``shopx.analytics.periods``. The oracle tests require the API to agree with it to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


def as_utc(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass
class RawOrder:
    id: int
    customer_id: int
    rep_id: int | None
    at: datetime
    status: str
    payment_mode: str | None
    discount: int
    total: int
    items: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(product_id, quantity, unit price, unit cost)"""


@dataclass
class Shop:
    orders: list[RawOrder]
    product_category: dict[int, int]
    product_brand: dict[int, str | None]
    category_parent: dict[int, int | None]
    category_name: dict[int, str]
    customer_region: dict[int, str | None]

    def top_category(self, category_id: int) -> int:
        return self.category_parent[category_id] or category_id


async def load_shop(engine: AsyncEngine) -> Shop:
    async with engine.connect() as conn:
        orders = {
            row[0]: RawOrder(row[0], row[1], row[2], as_utc(row[3]), row[4], row[5], row[6], row[7])
            for row in await conn.execute(
                text(
                    "SELECT id, customer_id, sales_rep_id, ordered_at, status, payment_mode,"
                    " discount_cents, total_cents FROM orders"
                )
            )
        }
        for order_id, product, quantity, price, cost in await conn.execute(
            text(
                "SELECT order_id, product_id, quantity, unit_price_cents, unit_cost_cents"
                " FROM order_items"
            )
        ):
            orders[order_id].items.append((product, quantity, price, cost))
        products = (await conn.execute(text("SELECT id, category_id, brand FROM products"))).all()
        categories = (await conn.execute(text("SELECT id, parent_id, name FROM categories"))).all()
        customers = (await conn.execute(text("SELECT id, region FROM customers"))).all()
    return Shop(
        orders=list(orders.values()),
        product_category={p[0]: p[1] for p in products},
        product_brand={p[0]: p[2] for p in products},
        category_parent={c[0]: c[1] for c in categories},
        category_name={c[0]: c[2] for c in categories},
        customer_region={c[0]: c[1] for c in customers},
    )


def money(cents: int | Decimal) -> str:
    value = (Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:.2f}"


def within(shop: Shop, start: datetime, end: datetime) -> list[RawOrder]:
    return [order for order in shop.orders if start <= order.at < end]


def overview(orders: list[RawOrder], statuses: tuple[str, ...]) -> dict[str, object]:
    counted = [order for order in orders if order.status in statuses]
    cancelled = [order for order in orders if order.status == "CANCELLED"]
    revenue = sum(order.total for order in counted)
    items = [item for order in counted for item in order.items]
    profit = sum(q * (price - cost) for _, q, price, cost in items) - sum(
        o.discount for o in counted
    )
    return {
        "totalRevenue": money(revenue),
        "totalOrders": len(counted),
        "averageOrderValue": money(Decimal(revenue) / len(counted)) if counted else "0.00",
        "uniqueCustomers": len({order.customer_id for order in counted}),
        "unitsSold": sum(q for _, q, _, _ in items),
        "totalProfit": money(profit),
        "totalDiscount": money(sum(order.discount for order in counted)),
        "cancelledOrders": len(cancelled),
        "cancelledRevenue": money(sum(order.total for order in cancelled)),
    }


def sales_measures(orders: list[RawOrder], statuses: tuple[str, ...]) -> dict[str, int]:
    """Recognised orders: revenue (net of discount), orders, customers, units and profit
    (item sales - cost - discount), in cents and counts."""
    counted = [order for order in orders if order.status in statuses]
    items = [item for order in counted for item in order.items]
    return {
        "revenue": sum(order.total for order in counted),
        "orders": len(counted),
        "customers": len({order.customer_id for order in counted}),
        "units": sum(q for _, q, _, _ in items),
        "profit": sum(q * (price - cost) for _, q, price, cost in items)
        - sum(order.discount for order in counted),
    }


def _growth(now: Fraction, before: Fraction) -> float | None:
    """Percent change relative to the size of ``before``, four places; none from zero."""
    return round(float((now - before) * 100 / abs(before)), 4) if before else None


def _exact_money(value: Fraction) -> str:
    """Fractional cents as money: half up, away from zero."""
    cents = abs(value)
    whole = int(cents) + (1 if cents - int(cents) >= Fraction(1, 2) else 0)
    return money(whole if value >= 0 else -whole)


def overview_changes(now: dict[str, int], before: dict[str, int]) -> dict[str, object]:
    """salesOverview's ...Change and ...ChangePercentage fields from two :func:`sales_measures`;
    marginChange is the margins' difference in percentage points."""

    def aov(measures: dict[str, int]) -> Fraction:
        return Fraction(measures["revenue"], measures["orders"]) if measures["orders"] else 0

    def margin(measures: dict[str, int]) -> Fraction | None:
        return Fraction(measures["profit"], measures["revenue"]) if measures["revenue"] else None

    found: dict[str, object] = {}
    for name, key, shown in [
        ("revenue", "revenue", money),
        ("orders", "orders", int),
        ("customers", "customers", int),
        ("units", "units", int),
        ("profit", "profit", money),
    ]:
        found[f"{name}Change"] = shown(now[key] - before[key])
        found[f"{name}ChangePercentage"] = _growth(Fraction(now[key]), Fraction(before[key]))
    found["aovChange"] = _exact_money(Fraction(aov(now) - aov(before)))
    found["aovChangePercentage"] = _growth(Fraction(aov(now)), Fraction(aov(before)))
    margins = margin(now), margin(before)
    found["marginChange"] = (
        None if None in margins else round(float((margins[0] - margins[1]) * 100), 4)
    )
    return found


def series(
    orders: list[RawOrder],
    statuses: tuple[str, ...],
    tz: ZoneInfo,
    span: tuple[datetime, datetime],
    granularity: str,
) -> list[tuple[int, int]]:
    """(revenue, orders) per local HOUR, DAY, WEEK or MONTH bucket of the half-open
    ``span``, in order, empty buckets included."""

    def day_key(day: date) -> date:
        if granularity == "WEEK":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1) if granularity == "MONTH" else day

    def key(moment: datetime) -> object:
        local = moment.astimezone(tz)
        if granularity == "HOUR":
            return local.replace(minute=0, second=0, microsecond=0)
        return day_key(local.date())

    start, end = span
    last = end - timedelta(microseconds=1)
    if granularity == "HOUR":
        hours = (last - start) // timedelta(hours=1)
        keys = [key(start + timedelta(hours=n)) for n in range(hours + 1)] + [key(last)]
    else:
        first = start.astimezone(tz).date()
        days = (last.astimezone(tz).date() - first).days
        keys = [day_key(first + timedelta(days=n)) for n in range(days + 1)]
    cells = {bucket: [0, 0] for bucket in keys} if start < end else {}
    for order in orders:
        if order.status in statuses and start <= order.at < end:
            cell = cells[key(order.at)]
            cell[0] += order.total
            cell[1] += 1
    return [(revenue, count) for revenue, count in cells.values()]


def daily_revenue(
    orders: list[RawOrder], statuses: tuple[str, ...], tz: ZoneInfo, month: bool
) -> dict[date, int]:
    buckets: dict[date, int] = defaultdict(int)
    for order in orders:
        if order.status in statuses:
            day = order.at.astimezone(tz).date()
            buckets[day.replace(day=1) if month else day] += order.total
    return dict(buckets)


def item_sales(
    orders: list[RawOrder], statuses: tuple[str, ...], key_of: Callable[[int], int]
) -> dict[int, list[int]]:
    """key_of(product) -> [revenue, cost, units, orders], an order counted once per key."""
    sales: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for order in orders:
        if order.status not in statuses:
            continue
        seen = set()
        for product, quantity, price, cost in order.items:
            key = key_of(product)
            cell = sales[key]
            cell[0] += quantity * price
            cell[1] += quantity * cost
            cell[2] += quantity
            if key not in seen:
                cell[3] += 1
                seen.add(key)
    return dict(sales)


def product_sales(orders: list[RawOrder], statuses: tuple[str, ...]) -> dict[int, list[int]]:
    """product -> [revenue, cost, units, orders]"""
    return item_sales(orders, statuses, lambda product: product)


def category_sales(
    shop: Shop, orders: list[RawOrder], statuses: tuple[str, ...]
) -> dict[int, list[int]]:
    """top-level category -> [revenue, cost, units, orders]"""
    return item_sales(
        orders, statuses, lambda product: shop.top_category(shop.product_category[product])
    )


def customer_lifetimes(
    shop: Shop, statuses: tuple[str, ...]
) -> dict[int, tuple[int, int, datetime, datetime]]:
    """customer -> (lifetime value, recognised orders, first, last order time)."""
    found: dict[int, tuple[int, int, datetime, datetime]] = {}
    for order in shop.orders:
        if order.status not in statuses:
            continue
        value, count, first, last = found.get(order.customer_id, (0, 0, order.at, order.at))
        found[order.customer_id] = (
            value + order.total,
            count + 1,
            min(first, order.at),
            max(last, order.at),
        )
    return found


def rfm_segment(
    lifetimes: dict[int, tuple[int, int, datetime, datetime]],
    customer: int,
    today: date,
    tz: ZoneInfo,
) -> str:
    """The documented RFM rules, recomputed: scores 1 + floor(5 * strictly-worse / n)."""
    if customer not in lifetimes:
        return "NEW"
    days = {c: (today - v[3].astimezone(tz).date()).days for c, v in lifetimes.items()}
    n = len(lifetimes)

    def quintile(mine: float, values: list[float]) -> int:
        worse = sum(1 for value in values if value < mine)
        return min(5, 1 + 5 * worse // n)

    value, count, first, _ = lifetimes[customer]
    recency = quintile(-days[customer], [-d for d in days.values()])
    frequency = quintile(count, [v[1] for v in lifetimes.values()])
    monetary = quintile(value, [v[0] for v in lifetimes.values()])
    if (today - first.astimezone(tz).date()).days < 30:
        return "NEW"
    if recency == 1 or days[customer] > 180:
        return "CHURNED"
    if recency <= 2 and (frequency >= 3 or monetary >= 3):
        return "AT_RISK"
    if min(recency, frequency, monetary) >= 4:
        return "PREMIUM"
    return "REGULAR"


def order_sums(
    orders: list[RawOrder], statuses: tuple[str, ...], key: Callable[[RawOrder], object]
) -> dict[object, list[int]]:
    """key(order) -> [revenue, cost, orders, customers]; revenue net of discount."""
    sums: dict[object, list] = defaultdict(lambda: [0, 0, 0, set()])
    for order in orders:
        if order.status not in statuses:
            continue
        cell = sums[key(order)]
        cell[0] += order.total
        cell[1] += sum(q * cost for _, q, _, cost in order.items)
        cell[2] += 1
        cell[3].add(order.customer_id)
    return {k: [v[0], v[1], v[2], len(v[3])] for k, v in sums.items()}
