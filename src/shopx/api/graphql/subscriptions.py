"""``metricsUpdated``: the sales overview pushed after each burst of order writes."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from functools import partial

import strawberry
from strawberry.types import Info

from shopx.analytics import live
from shopx.analytics import overview as overview_service
from shopx.analytics.periods import resolve
from shopx.analytics.reporting import ReportingRules
from shopx.api.graphql.context import Context
from shopx.api.graphql.freshness import data_as_of
from shopx.api.graphql.types.period import Period
from shopx.api.graphql.types.sales_overview import SalesOverview
from shopx.auth import Permission
from shopx.errors import Unauthenticated


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "What salesOverview answers for this period: once on subscribing, then again after "
            f"each burst of order writes (pushed at most {round(live.LONGEST * 1000)} ms after "
            "a burst's first write, "
            "plus the time to compute it). Each push is cut at its own 'now'."
        )
    )
    async def metrics_updated(
        self, info: Info[Context, None], period: Period = Period.MONTH
    ) -> AsyncGenerator[SalesOverview, None]:
        # Not a generator itself, so what it raises (no access, CUSTOM without a range)
        # reaches the client as the graphql-transport-ws ``error`` message.
        context = info.context
        context.require(Permission.DASHBOARD_READ)
        clock = _clock(context)
        resolve(period, now=clock(), tz=context.settings.tz)
        return live.refreshed(
            context.cache.changes, lambda: _overview(context, period, now=clock())
        )


def _clock(context: Context) -> Callable[[], datetime]:
    """The app's clock: a subscription outlives the connection's ``context.now``."""
    assert context.request is not None
    return context.request.app.state.clock


async def _overview(context: Context, period: Period, *, now: datetime) -> SalesOverview:
    """salesOverview's answer at ``now``, read on the primary: a push follows a commit that
    a read replica may not have applied yet. A caller whose token has expired since it
    subscribed gets UNAUTHENTICATED instead, which ends the subscription."""
    if not context.caller.valid_at(time.time()):
        raise Unauthenticated("the token has expired; subscribe again with a new one")
    async with context.read(primary=True) as session:
        as_of = await data_as_of(session)
    rules = ReportingRules.of(context.settings)
    span = resolve(period, now=now, tz=rules.tz)
    view = await overview_service.overview(partial(context.read, primary=True), span, rules)
    return SalesOverview.build(view, as_of)
