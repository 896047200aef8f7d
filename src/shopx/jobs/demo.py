"""``demo-roll-forward``: the seeded demo extended to now, so its dashboard has today's sales.

Only a database that ``shopx seed`` recorded as holding the demo is touched (see
:mod:`shopx.seed.record`); any other is "not a demo database" and left alone. A run covers
at most ``MAX_GAP`` of the gap, in steps of ``STEP``, each its own write transaction (the
record is re-read under the writer's lock, so a concurrent run adds nothing twice); a
longer gap is caught up by the next runs. What a step's new orders are drawn from (the
seeded customers, products and reps, and what the generator learned of them) is read once,
before the first step's write: it changes only when the shop's rows do, and reading it in
the writers' turn held every order write for a second at scale M.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from shopx.analytics.reporting import ReportingRules
from shopx.cache.runtime import writing
from shopx.jobs.context import JobContext, JobResult
from shopx.seed.extension import habits
from shopx.seed.record import demo_record
from shopx.seed.roll_forward import read_shop, roll_forward

MAX_GAP = timedelta(days=31)
STEP = timedelta(days=7)


async def demo_roll_forward(ctx: JobContext) -> JobResult:
    """Extend the demo towards ``ctx.now``; rows: new orders plus open orders moved on."""
    async with ctx.sessions() as session:
        record = await demo_record(session)
        if record is None:
            return JobResult(0, "not a demo database")
        seeded = record.scale, record.random_seed, record.seeded_until
        shop = await read_shop(session, record.scale)
    await asyncio.to_thread(habits, *seeded)  # kept: each step's turn finds it made
    rules = ReportingRules.of(ctx.settings)
    reached, target = record.reached_at, min(ctx.now, record.reached_at + MAX_GAP)
    orders = moved = 0
    while reached < target:
        async with writing(ctx.sessions, ctx.now, ctx.cache) as session:
            record = await demo_record(session)
            if record is None or (record.scale, record.random_seed, record.seeded_until) != seeded:
                break  # seeded again meanwhile: the next run starts over
            end = min(target, record.reached_at + STEP)
            step = await roll_forward(session, record, end, rules, shop)
        orders, moved, reached = orders + step.orders, moved + step.moved, step.end
        if step.end <= step.start:
            break
    detail = (
        f"{orders} new orders, {moved} open orders moved on; reaches {reached:%Y-%m-%d %H:%M} UTC"
    )
    if reached < ctx.now:
        detail += f" ({ctx.now - reached} behind: the next runs catch up)"
    return JobResult(orders + moved, detail)
