"""``reports``: the stored daily, weekly and monthly reports (analysts and admins; never
cached: the reports job writes them without telling the cache)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.keyset import DEFAULT_FIRST, SortKey
from shopx.api.graphql.pagination import Connection, paginate
from shopx.api.graphql.types.report import Report
from shopx.api.graphql.types.report_kind import ReportKind
from shopx.auth import Permission
from shopx.db.models import Report as ReportRow
from shopx.reports.store import reports_of

LATEST_FIRST = SortKey("PERIOD_END", ReportRow.period_end, descending=True)
"""By the end of the period, latest first (a day before a week ending with it, by id)."""


@strawberry.type
class ReportsQuery:
    @strawberry.field(
        description=(
            "Stored reports, the latest period first (of one kind when `kind` is given); "
            "`first` at most 100."
        )
    )
    async def reports(
        self,
        info: Info[Context, None],
        kind: ReportKind | None = None,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
    ) -> Connection[Report]:
        info.context.require(Permission.ANALYTICS_READ)
        return await paginate(
            info.context, reports_of(kind), LATEST_FIRST, Report.of, first=first, after=after
        )
