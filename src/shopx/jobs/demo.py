"""``demo-roll-forward``: the seeded demo extended to now, so its dashboard has today's sales.

Only a database that ``shopx seed`` recorded as holding the demo is touched (see
:mod:`shopx.seed.record`); any other is "not a demo database" and left alone. A run covers
at most ``MAX_GAP`` of the gap, in steps of ``STEP``, each its own write transaction (the
record is re-read under the writer's lock, so a concurrent run adds nothing twice); a
longer gap is caught up by the next runs.
"""

from __future__ import annotations

from datetime import timedelta

from shopx.analytics.reporting import ReportingRules
from shopx.cache.runtime import writing
from shopx.jobs.context import JobContext, JobResult
from shopx.seed.record import demo_record
from shopx.seed.roll_forward import roll_forward

MAX_GAP = timedelta(days=31)
STEP = timedelta(days=7)


async def demo_roll_forward(ctx: JobContext) -> JobResult:
    """Extend the demo towards ``ctx.now``; rows: new orders plus open orders moved on."""
    async with ctx.sessions() as session:
        record = await demo_record(session)
    if record is None:
        return JobResult(0, "not a demo database")
    rules = ReportingRules.of(ctx.settings)
    reached, target = record.reached_at, min(ctx.now, record.reached_at + MAX_GAP)
    orders = moved = 0
    while reached < target:
        async with writing(ctx.sessions, ctx.now, ctx.cache) as session:
            record = await demo_record(session)
            if record is None:
                break
            step = await roll_forward(session, record, min(target, record.reached_at + STEP), rules)
        orders, moved, reached = orders + step.orders, moved + step.moved, step.end
        if step.end <= step.start:
            break
    detail = (
        f"{orders} new orders, {moved} open orders moved on; reaches {reached:%Y-%m-%d %H:%M} UTC"
    )
    if reached < ctx.now:
        detail += f" ({ctx.now - reached} behind: the next runs catch up)"
    return JobResult(orders + moved, detail)
