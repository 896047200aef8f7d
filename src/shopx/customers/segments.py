"""Recomputing every customer's segment by the rules of :func:`shopx.analytics.rfm.segment`.

One SELECT reads the customers' lifetime columns (kept by :mod:`shopx.customers.stats`);
the cut-offs, scores and rules run in Python; only the customers whose segment changed
are written, one UPDATE per segment and batch of ids.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select, update
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


async def _write(executor: Executor, moves: dict[Segment, list[int]]) -> None:
    for target, ids in moves.items():
        for start in range(0, len(ids), UPDATE_BATCH):
            await executor.execute(
                update(Customer)
                .where(Customer.id.in_(ids[start : start + UPDATE_BATCH]))
                .values(segment=target)
                .execution_options(synchronize_session=False)
            )


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
    moves: dict[Segment, list[Any]] = defaultdict(list)
    for key, (stored, target) in found.items():
        if stored != target:
            moves[target].append(key)
    await _write(executor, moves)
    counts = Counter(target for _, target in found.values())
    return {name: counts[name] for name in Segment}, sum(len(ids) for ids in moves.values())
