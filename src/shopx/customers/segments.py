"""Recomputing every customer's segment by the rules of :func:`shopx.analytics.rfm.segment`.

One SELECT reads the customers' lifetime columns (kept by :mod:`shopx.customers.stats`);
the cut-offs, scores and rules run in Python; only the customers whose segment changed
are written, one UPDATE per segment and batch of ids.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopx.analytics.reporting import ReportingRules
from shopx.analytics.rfm import Cutoffs, cutoffs, scores, segment
from shopx.calendar import local_day
from shopx.db.models import Customer, Segment

Executor = AsyncSession | AsyncConnection

UPDATE_BATCH = 10_000
"""Ids per UPDATE: under the bound-parameter limits of asyncpg (32,767) and SQLite (32,766)."""


class Buyer(NamedTuple):
    """A customer with a recognised order, its first and last order as local days."""

    id: int
    segment: str
    order_count: int
    lifetime_cents: int
    first_day: date
    last_day: date


def buyer_cutoffs(buyers: list[Buyer]) -> Cutoffs:
    return Cutoffs(
        cutoffs(sorted(buyer.last_day for buyer in buyers)),
        cutoffs(sorted(buyer.order_count for buyer in buyers)),
        cutoffs(sorted(buyer.lifetime_cents for buyer in buyers)),
    )


def buyer_segment(buyer: Buyer, bounds: Cutoffs, today: date) -> Segment:
    rfm = scores(bounds, buyer.last_day, buyer.order_count, buyer.lifetime_cents)
    return segment(rfm, (today - buyer.first_day).days, (today - buyer.last_day).days)


def buyer_segments(buyers: list[Buyer], today: date) -> dict[int, Segment]:
    """Each buyer's segment as of ``today``, scored against the cut-offs of all of them."""
    bounds = buyer_cutoffs(buyers)
    return {buyer.id: buyer_segment(buyer, bounds, today) for buyer in buyers}


async def recompute_segments(
    executor: Executor, now: datetime, rules: ReportingRules
) -> dict[Segment, int]:
    """Write every customer's segment as of ``now``; returns the customers per segment."""
    counts, _ = await resegment(executor, now, rules)
    return counts


async def resegment(
    executor: Executor, now: datetime, rules: ReportingRules
) -> tuple[dict[Segment, int], int]:
    """:func:`recompute_segments`, and how many customers changed segment."""
    found = await segments_as_of(executor, now, rules)
    return found.counts, await move(executor, found.moves)


class Move(NamedTuple):
    """A customer whose stored segment is not the one it belongs in."""

    customer_id: int
    stored: str
    target: Segment


@dataclass(frozen=True, slots=True)
class Segmented:
    """Every customer's segment as of a moment, against the segments stored."""

    counts: dict[Segment, int]
    """Customers per segment."""
    moves: list[Move]

    def parts(self, size: int) -> list[list[Move]]:
        """:attr:`moves` in parts of at most ``size`` customers."""
        return [self.moves[start : start + size] for start in range(0, len(self.moves), size)]


async def segments_as_of(executor: Executor, now: datetime, rules: ReportingRules) -> Segmented:
    """Each customer's segment as of ``now`` from the stored statistics (a read). Scored in
    a thread: at scale M it is most of a second of CPU, which on the event loop held up
    every request of a serving process that runs the schedule."""
    rows = await executor.execute(
        select(
            Customer.id,
            Customer.segment,
            Customer.order_count,
            Customer.lifetime_value_cents,
            Customer.first_order_at,
            Customer.last_order_at,
        )
    )
    return await asyncio.to_thread(_segmented, rows, now, rules)


def _segmented(rows: Iterable[Row[Any]], now: datetime, rules: ReportingRules) -> Segmented:
    buyers: list[Buyer] = []
    found: dict[int, tuple[str, Segment]] = {}
    for key, stored, count, value, first, last in rows:
        if count and first is not None and last is not None:
            days = local_day(first, rules.tz), local_day(last, rules.tz)
            buyers.append(Buyer(key, stored, count, value, *days))
        else:
            found[key] = (stored, Segment.NEW)
    targets = buyer_segments(buyers, local_day(now, rules.tz))
    for buyer in buyers:
        found[buyer.id] = (buyer.segment, targets[buyer.id])
    moves = [
        Move(key, stored, target) for key, (stored, target) in found.items() if stored != target
    ]
    counts = Counter(target for _, target in found.values())
    return Segmented({name: counts[name] for name in Segment}, moves)


async def move(executor: Executor, moves: Sequence[Move]) -> int:
    """Store the segments of ``moves``, each only where the stored segment is still the
    one they were read with (a run that read later may have moved the customer since);
    returns how many customers moved."""
    by_change: dict[tuple[str, Segment], list[int]] = defaultdict(list)
    for customer_id, stored, target in moves:
        by_change[(stored, target)].append(customer_id)
    moved = 0
    for (stored, target), ids in by_change.items():
        for start in range(0, len(ids), UPDATE_BATCH):
            result = await executor.execute(
                update(Customer)
                .where(Customer.id.in_(ids[start : start + UPDATE_BATCH]))
                .where(Customer.segment == stored)
                .values(segment=target)
                .execution_options(synchronize_session=False)
            )
            moved += result.rowcount
    return moved
