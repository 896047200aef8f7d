"""Distinct customers over whole local days, kept ahead: ``rollup_customer_gaps``.

A count of distinct customers does not add up across days, so no daily sum gives a
period's; a year at 10M orders is a count distinct over 5M raw orders (seconds). Instead,
each customer's days with an order of a status are kept as (day, the day before it)
pairs, counted per (status, day, since) in :class:`~shopx.rollups.tables.CustomerGaps`:
a customer with an order of status ``s`` in days D1..D2 has exactly one such day whose
previous one is before D1 (its first day there), so :func:`customers_on_days` is a sum
over the rows of those days, a few hundred thousand at most for a year.

:func:`gaps_source` is the definition (the rebuild's SELECT from raw orders);
:func:`days_source` recomputes a few days of it (``rollups-check``). The upkeep,
:func:`customer_day_deltas`, runs in the transaction of every order write once its rows are
written, and :mod:`shopx.rollups.deltas` adds what it returns to the stored rows. It probes
whether each changed day gains its first order or loses its last; for the customers whose
days do change, it reads their orders of the touched statuses as they are now, takes away
what the write changed to get them as they were, and returns the difference of the two
pair lists. Order writers hold the data version's row lock (:mod:`shopx.db.writes`), so no
other write to the same customer can land between that read and the commit.

Archived months (:func:`shopx.db.partitions.archive_partitions`) leave the raw orders; a
customer's first live day then reads as following nothing where the stored pair names an
archived day. Both are before any period that starts after the archive, so every count of
those periods stays exact; a rebuild forgets the archived months, as it does for the other
rollups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, bindparam, delete, func, literal, or_, select, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shopx.calendar import local_day, local_midnight
from shopx.db.dialect import generic_plans, is_postgres, local_date
from shopx.db.models import Order
from shopx.rollups.tables import FIRST_DAY, CustomerGaps

GAPS = CustomerGaps.__table__
KEYS = ("status", "day", "since")
CUSTOMERS = "customers"
"""The rollup's one measure: the customers of a (status, day, since)."""
REBUILD_WORK_MEM = "256MB"
LOOKBACK = timedelta(days=92)
"""How far before a write's first changed day a customer's days are read first."""
CUSTOMERS_PER_QUERY = 5_000
"""Customers whose orders one query reads (under both drivers' bound-parameter limits)."""
MAX_PROBES = 250
"""Up to this many changed days (a batch of orders from the API), each is probed first; a
bigger change (an import's batch) reads its customers' days at once."""
ONE_DAY = timedelta(days=1)

Visit = tuple[int, str, date]
"""(customer id, order status, local day): a customer's order of a status on a day."""
Pair = tuple[str, date, date]
"""A row key of the rollup: (status, day, since)."""
Key = tuple[int, str]
"""(customer id, order status): whose days one list of pairs holds."""


def gaps_source(dialect: Dialect, tz: ZoneInfo, span: tuple[datetime, datetime]) -> Any:
    """(status, day, since, customers) from the raw orders: the rollup's definition."""
    day = local_date(Order.ordered_at, tz, dialect, span=span)
    visits = select(Order.customer_id, Order.status, day.label("day")).distinct().subquery()
    previous = func.lag(visits.c.day).over(
        partition_by=(visits.c.customer_id, visits.c.status), order_by=visits.c.day
    )
    pairs = select(
        visits.c.status,
        visits.c.day,
        func.coalesce(previous, literal(FIRST_DAY, Date)).label("since"),
    ).subquery()
    return select(pairs.c.status, pairs.c.day, pairs.c.since, func.count()).group_by(
        pairs.c.status, pairs.c.day, pairs.c.since
    )


def days_source(
    dialect: Dialect,
    tz: ZoneInfo,
    windows: Sequence[tuple[datetime, datetime]],
    span: tuple[datetime, datetime],
) -> Any:
    """(day, status, since, customers): the rollup's rows of the local days that
    ``windows`` cover (whole days each), recomputed from the raw orders without reading
    every customer's history: each customer's previous order of the status before the day
    is one backward read of the ``(customer_id, ordered_at)`` index. ``span`` bounds every
    order time the query can meet, the previous orders' included."""
    day = local_date(Order.ordered_at, tz, dialect, span=span)
    inside = or_(
        *((Order.ordered_at >= start) & (Order.ordered_at < end) for start, end in windows)
    )
    visits = (
        select(
            Order.customer_id,
            Order.status,
            day.label("day"),
            func.min(Order.ordered_at).label("first"),
        )
        .where(inside)
        .group_by(Order.customer_id, Order.status, day)
        .subquery("visits")
    )

    earlier = aliased(Order)
    latest = (
        select(func.max(earlier.ordered_at))
        .where(
            earlier.customer_id == visits.c.customer_id,
            earlier.status == visits.c.status,
            earlier.ordered_at < visits.c.first,
        )
        .scalar_subquery()
    )
    after = select(visits.c.day, visits.c.status, latest.label("previous")).subquery("after")
    since = func.coalesce(
        local_date(after.c.previous, tz, dialect, span=span), literal(FIRST_DAY, Date)
    )
    return select(after.c.day, after.c.status, since.label("since"), func.count()).group_by(
        after.c.day, after.c.status, since
    )


def rebuild_gaps(conn: Connection, tz: ZoneInfo) -> int:
    """Recompute the rollup from the raw orders; returns its row count."""
    conn.execute(delete(GAPS))
    oldest, newest = conn.execute(
        select(func.min(Order.ordered_at), func.max(Order.ordered_at))
    ).one()
    if oldest is None:
        return 0
    if is_postgres(conn.dialect):
        # Sorting every (customer, status, day) of 10M orders: in memory, not on disk.
        conn.execute(text(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'"))
    span = (oldest, newest + timedelta(seconds=1))
    columns = [*KEYS, CUSTOMERS]
    conn.execute(GAPS.insert().from_select(columns, gaps_source(conn.dialect, tz, span)))
    return int(conn.execute(select(func.count()).select_from(GAPS)).scalar_one())


def pairs_of(days: Iterable[date]) -> list[tuple[date, date]]:
    """(day, since) for each of a customer's days with an order of one status."""
    ordered = sorted(set(days))
    return list(zip(ordered, [FIRST_DAY, *ordered], strict=False))


def visit(customer_id: int, status: str, placed: datetime, tz: ZoneInfo) -> Visit:
    """The (customer, status, local day) of an order."""
    return (customer_id, status, local_day(placed, tz))


async def customer_day_deltas(
    session: AsyncSession, changed: Counter[Visit], tz: ZoneInfo
) -> dict[Pair, int]:
    """What a write's change of orders per (customer, status, local day) (+1 an order there
    now, -1 one no longer there) adds to each row of the rollup; call once the write's order
    rows are written, in its transaction."""
    changed = Counter({visit: count for visit, count in changed.items() if count})
    if len(changed) <= MAX_PROBES and changed:
        moving = await _moving(session, changed, tz)
        changed = Counter({visit: n for visit, n in changed.items() if visit[:2] in moving})
    if not changed:
        return {}
    now = await _days_around(session, changed, tz)
    before: defaultdict[Key, Counter[date]] = defaultdict(Counter)
    for key, days in now.items():
        before[key].update(days)
    for (customer, status, day), count in changed.items():
        before[(customer, status)][day] -= count
    deltas: Counter[Pair] = Counter()
    for key, was in before.items():
        after_days = {day for day, count in now[key].items() if count > 0}
        before_days = {day for day, count in was.items() if count > 0}
        if after_days == before_days:
            continue
        status = key[1]
        for day, since in pairs_of(after_days):
            deltas[(status, day, since)] += 1
        for day, since in pairs_of(before_days):
            deltas[(status, day, since)] -= 1
    return {pair: count for pair, count in deltas.items() if count}


async def _moving(session: AsyncSession, changed: Counter[Visit], tz: ZoneInfo) -> set[Key]:
    """The (customer, status) pairs whose set of days the change alters: a day that gains
    its first order or loses its last. One probe per changed day, each reading at most one
    order past the ones the change added, so a customer ordering again on a day it already
    has (a point of sale's walk-in account) costs one short index read."""
    visits = list(changed.items())
    # Added: was the day held before (an order besides the ones added)?
    # Taken away: is it held still (any order left)?
    probes = [
        (customer, status, local_midnight(day, tz), local_midnight(day + ONE_DAY, tz), max(n, 0))
        for (customer, status, day), n in visits
    ]
    held = await _held(session, probes)
    return {key[:2] for index, (key, _) in enumerate(visits) if index not in held}


Probe = tuple[int, str, datetime, datetime, int]
"""(customer, status, start, end, skip): is there an order of the customer and status in
[start, end) past the first ``skip``?"""

HELD_POSTGRES = """
SELECT p.n - 1
FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[])
  WITH ORDINALITY AS p(customer_id, status, start, stop, skip, n)
WHERE EXISTS (
  SELECT 1 FROM orders o
  WHERE o.customer_id = p.customer_id AND o.status = p.status
    AND o.ordered_at >= p.start AND o.ordered_at < p.stop
  LIMIT 1 OFFSET p.skip)
"""
"""The positions of the probes (one array per field) that find an order: one statement of
one text whatever their number, so PostgreSQL plans it once (each probe prunes the
partitions it reads as it runs)."""

HELD_ONE = select(literal(1)).where(
    select(Order.id)
    .where(
        Order.customer_id == bindparam("customer"),
        Order.status == bindparam("status"),
        Order.ordered_at >= bindparam("start"),
        Order.ordered_at < bindparam("end"),
    )
    .limit(1)
    .offset(bindparam("skip"))
    .exists()
)
"""One probe, built once: SQLite cannot read an outer row in OFFSET, and runs a statement
in process, without a round trip."""


async def _held(session: AsyncSession, probes: Sequence[Probe]) -> set[int]:
    """The positions of the ``probes`` that find an order."""
    if is_postgres(session.bind):
        arrays = tuple(list(field) for field in zip(*probes, strict=True))
        async with generic_plans(session):
            rows = await (await session.connection()).exec_driver_sql(HELD_POSTGRES, arrays)
        return set(rows.scalars())
    held = set()
    for index, (customer, status, start, end, skip) in enumerate(probes):
        values = {"customer": customer, "status": status, "start": start, "end": end}
        if await session.scalar(HELD_ONE, values | {"skip": skip}):
            held.add(index)
    return held


async def _days_around(
    session: AsyncSession, changed: Counter[Visit], tz: ZoneInfo
) -> defaultdict[Key, Counter[date]]:
    """Orders per local day of each changed (customer, status), as they are now: from the
    day before its first changed day on (the pairs before that day do not change), or its
    whole history where that day is unknown.

    Most customers ordered within :data:`LOOKBACK` of a write, so the history is first read
    from there on: on PostgreSQL that reads the few monthly partitions of that stretch, not
    one index per month of the shop's history for each customer. Only the (customer,
    status) pairs with no day found before their first changed day are read in full."""
    first_changed: dict[Key, date] = {}
    for customer, status, day in changed:
        key = (customer, status)
        first_changed[key] = min(day, first_changed.get(key, day))
    since = local_midnight(min(first_changed.values()) - LOOKBACK, tz)
    found = await _days_now(session, set(first_changed), tz, since)
    unknown = {
        key for key, first in first_changed.items() if not any(d < first for d in found[key])
    }
    if unknown:
        found.update(await _days_now(session, unknown, tz))
    return found


async def _days_now(
    session: AsyncSession, touched: set[Key], tz: ZoneInfo, since: datetime | None = None
) -> defaultdict[Key, Counter[date]]:
    """Orders per local day of each touched (customer, status), as they are now (placed at
    or after ``since``, if given)."""
    customers = sorted({customer for customer, _ in touched})
    statuses = sorted({status for _, status in touched})
    later = [] if since is None else [Order.ordered_at >= since]
    found: defaultdict[Key, Counter[date]] = defaultdict(Counter)
    # Read on the connection, without the ORM's execution (which costs more than the read),
    # after the flush it would have made: the orders pending in the session count.
    await session.flush()
    conn = await session.connection()
    for start in range(0, len(customers), CUSTOMERS_PER_QUERY):
        batch = customers[start : start + CUSTOMERS_PER_QUERY]
        rows = await conn.execute(
            select(Order.customer_id, Order.status, Order.ordered_at).where(
                Order.customer_id.in_(batch), Order.status.in_(statuses), *later
            )
        )
        for customer, status, placed in rows:
            if (customer, status) in touched:
                found[(customer, status)][local_day(placed, tz)] += 1
    return found


async def customers_on_days(session: AsyncSession, days: tuple[date, date], status: str) -> int:
    """Customers with an order of ``status`` on a local day in ``days`` (both included)."""
    query = select(func.coalesce(func.sum(GAPS.c.customers), 0)).where(
        GAPS.c.status == status, GAPS.c.day.between(*days), GAPS.c.since < days[0]
    )
    return int((await session.execute(query)).scalar_one())


def new_visits(
    customers: Sequence[int], statuses: Sequence[str], placed: Sequence[datetime], tz: ZoneInfo
) -> Counter[Visit]:
    """+1 per new order, from columns of new orders."""
    return Counter(
        visit(customer, status, moment, tz)
        for customer, status, moment in zip(customers, statuses, placed, strict=True)
    )
