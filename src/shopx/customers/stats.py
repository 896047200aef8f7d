"""A customer's order statistics, kept on the customer row.

Over the customer's recognised orders (statuses in ``SHOPX_REVENUE_STATUSES``):
lifetime value = sum of their totals, order count = their number, first/last order =
the earliest/latest of their times. A customer without one has 0, 0, none, none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.cache.tags import note_written
from shopx.db.columns import sqlite_timestamp_text
from shopx.db.dialect import ArrayStatement, is_postgres
from shopx.db.models import Customer, Order


async def refresh_customer_stats(
    session: AsyncSession, customer_ids: Collection[int], statuses: Collection[str]
) -> None:
    """Recompute the statistics of these customers (the write path, inside its transaction)."""
    if customer_ids:
        await _refresh(session, statuses, list(customer_ids))


@dataclass(slots=True)
class StatsDelta:
    """What new recognised orders (or new lines of recognised orders) add to a customer."""

    value_cents: int = 0
    orders: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def add(self, total_cents: int, orders: int, at: datetime) -> None:
        self.value_cents += total_cents
        self.orders += orders
        self.first = at if self.first is None else min(self.first, at)
        self.last = at if self.last is None else max(self.last, at)


async def add_to_customer_stats(session: AsyncSession, deltas: Mapping[int, StatsDelta]) -> None:
    """Add ``deltas`` to these customers' statistics, one UPDATE per customer in one
    executemany: a bulk import's batch only adds orders (or lines to its own earlier
    orders), so the statistics move by what it adds, whatever the customers' history
    (:func:`refresh_customer_stats` reads every order of each customer, which made each
    batch of a large import slower than the one before). Exact when the stored statistics
    were, which every write path keeps (:func:`refresh_all_customer_stats` repairs)."""
    if not deltas:
        return
    note_written(session.sync_session, Customer.__tablename__)
    conn = await session.connection()
    driver = (await conn.get_raw_connection()).driver_connection
    # Bound on the driver, without SQLAlchemy's per-value processing (a batch has thousands):
    # one statement over arrays on PostgreSQL, one prepared UPDATE per customer on SQLite.
    if is_postgres(conn):
        await driver.execute(add_stats_postgres(0), *_stats_arrays(deltas))
        return
    ordered = sorted(deltas.items())
    await driver.executemany(
        ADD_STATS_SQLITE,
        [
            (d.value_cents, d.orders, _sqlite_time(d.first), _sqlite_time(d.last), cid)
            for cid, d in ordered
        ],
    )


def stats_addition(session: AsyncSession, deltas: Mapping[int, StatsDelta]) -> ArrayStatement:
    """PostgreSQL: :func:`add_to_customer_stats` as a statement that goes in with others (an
    order write's rollups: one round trip less); the caller sends it in its transaction."""
    note_written(session.sync_session, Customer.__tablename__)
    return ArrayStatement(add_stats_postgres, _stats_arrays(deltas))


def _stats_arrays(deltas: Mapping[int, StatsDelta]) -> tuple[list[Any], ...]:
    """The arrays of :func:`add_stats_postgres`, in customer order."""
    ordered = sorted(deltas.items())
    return (
        [cid for cid, _ in ordered],
        [d.value_cents for _, d in ordered],
        [d.orders for _, d in ordered],
        [d.first for _, d in ordered],
        [d.last for _, d in ordered],
    )


@cache
def add_stats_postgres(before: int) -> str:
    """The UPDATE adding the arrays' deltas to the customers' statistics, its parameters
    numbered from ``before + 1``."""
    first, value, orders, earliest, latest = (f"${before + n}" for n in range(1, 6))
    return f"""
UPDATE customers c SET
  lifetime_value_cents = c.lifetime_value_cents + d.value,
  order_count = c.order_count + d.orders,
  first_order_at = LEAST(c.first_order_at, d.first),
  last_order_at = GREATEST(c.last_order_at, d.last)
FROM unnest({first}::bigint[], {value}::bigint[], {orders}::int[], {earliest}::timestamptz[],
  {latest}::timestamptz[]) AS d(id, value, orders, first, last)
WHERE c.id = d.id
"""


def _sqlite_time(moment: datetime | None) -> str | None:
    return None if moment is None else sqlite_timestamp_text(moment)


# SQLite's min() and max() of several values are NULL when one is: both sides coalesced.
ADD_STATS_SQLITE = (
    "UPDATE customers SET lifetime_value_cents = lifetime_value_cents + ?1,"
    " order_count = order_count + ?2,"
    " first_order_at = min(coalesce(first_order_at, ?3), coalesce(?3, first_order_at)),"
    " last_order_at = max(coalesce(last_order_at, ?4), coalesce(?4, last_order_at))"
    " WHERE id = ?5"
)


async def refresh_all_customer_stats(session: AsyncSession, statuses: Collection[str]) -> None:
    """Recompute every customer's statistics in two set-based statements."""
    await _refresh(session, statuses, None)


async def drifted_customers(session: AsyncSession, statuses: Collection[str]) -> list[int]:
    """The customers whose stored statistics differ from their orders' (a read: every write
    path keeps them, so this is empty unless something wrote orders around those paths)."""
    stats = _Recomputed.of(statuses, None)
    differing = select(Customer.id).where(Customer.id == stats.totals.c.customer_id, stats.differ)
    without = select(Customer.id).where(stats.no_buyer, stats.not_zero)
    return sorted(await session.scalars(differing.union_all(without)))


@dataclass(frozen=True, slots=True)
class _Recomputed:
    """The statistics recomputed from the recognised orders (of some customers), and the
    conditions that tell a stored row from them."""

    totals: Any
    """Per customer with a recognised order: value, orders, first, last."""
    differ: Any
    """The stored row differs from its ``totals`` row."""
    no_buyer: Any
    """The customer (of those chosen) has no recognised order..."""
    not_zero: Any
    """...and the stored row is not all zero."""

    @classmethod
    def of(cls, statuses: Collection[str], customer_ids: list[int] | None) -> _Recomputed:
        status: Any = Order.status
        if customer_ids is not None:
            # A few customers' orders are found through their customer index. Without this
            # SQLite (no planner statistics) reads them through the status index instead:
            # every recognised order of the shop, which made a bulk import's batches ever
            # slower.
            status = Order.status.concat("")
        recognised = status.in_(list(statuses))
        totals_query = select(
            Order.customer_id.label("customer_id"),
            func.sum(Order.total_cents).label("value"),
            func.count().label("orders"),
            func.min(Order.ordered_at).label("first"),
            func.max(Order.ordered_at).label("last"),
        ).where(recognised)
        buyers = select(Order.customer_id).where(recognised)
        no_buyer: Any = Customer.id.not_in(buyers)
        if customer_ids is not None:
            totals_query = totals_query.where(Order.customer_id.in_(customer_ids))
            buyers = buyers.where(Order.customer_id.in_(customer_ids))
            no_buyer = and_(Customer.id.in_(customer_ids), Customer.id.not_in(buyers))
        totals = totals_query.group_by(Order.customer_id).subquery("totals")
        differ = or_(
            Customer.lifetime_value_cents != totals.c.value,
            Customer.order_count != totals.c.orders,
            Customer.first_order_at.is_distinct_from(totals.c.first),
            Customer.last_order_at.is_distinct_from(totals.c.last),
        )
        not_zero = or_(
            Customer.lifetime_value_cents != 0,
            Customer.order_count != 0,
            Customer.first_order_at.is_not(None),
            Customer.last_order_at.is_not(None),
        )
        return cls(totals, differ, no_buyer, not_zero)


async def _refresh(
    session: AsyncSession, statuses: Collection[str], customer_ids: list[int] | None
) -> None:
    stats = _Recomputed.of(statuses, customer_ids)
    totals = stats.totals
    await session.execute(
        update(Customer)
        .where(Customer.id == totals.c.customer_id, stats.differ)
        .values(
            lifetime_value_cents=totals.c.value,
            order_count=totals.c.orders,
            first_order_at=totals.c.first,
            last_order_at=totals.c.last,
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Customer)
        .where(stats.no_buyer, stats.not_zero)
        .values(lifetime_value_cents=0, order_count=0, first_order_at=None, last_order_at=None)
        .execution_options(synchronize_session=False)
    )
