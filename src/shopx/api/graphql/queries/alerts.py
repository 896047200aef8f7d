"""``alerts``: low-stock and job-failure alerts (admins and analysts, never cached)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.alerts.repository import alerts
from shopx.api.graphql.arguments import check_limit
from shopx.api.graphql.context import Context
from shopx.api.graphql.types.alert import Alert
from shopx.auth import Permission

MAX_ALERTS = 100


@strawberry.type
class AlertsQuery:
    @strawberry.field(
        description="Low-stock and job-failure alerts, newest first: the open ones (open:"
        f" true), the closed ones (false) or both (null); at most {MAX_ALERTS}."
    )
    async def alerts(
        self, info: Info[Context, None], open: bool | None = None, first: int = 50
    ) -> list[Alert]:
        context = info.context
        context.require(Permission.ANALYTICS_READ)
        limit = check_limit(first, "first", MAX_ALERTS)
        # On the primary: a replica may not have the alert a job has just opened.
        async with context.read(primary=True) as session:
            rows = await alerts(session, open=open, limit=limit)
        return [Alert.from_row(row) for row in rows]
