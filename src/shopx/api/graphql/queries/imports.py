"""``imports``: CSV and sheet imports, newest first (analysts and admins; never cached: an
import's progress moves without telling the cache)."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.keyset import DEFAULT_FIRST, SortKey
from shopx.api.graphql.pagination import Connection, paginate
from shopx.api.graphql.types.import_run import Import
from shopx.auth import Permission
from shopx.db.models import Import as ImportRow

NEWEST_FIRST = SortKey("CREATED_AT", ImportRow.created_at, descending=True)


@strawberry.type
class ImportsQuery:
    @strawberry.field(
        description=(
            "CSV and sheet imports, newest first, with their state, progress and report; "
            "`first` at most 100."
        )
    )
    async def imports(
        self, info: Info[Context, None], first: int = DEFAULT_FIRST, after: str | None = None
    ) -> Connection[Import]:
        info.context.require(Permission.ANALYTICS_READ)
        return await paginate(
            info.context, select(ImportRow), NEWEST_FIRST, Import.of, first=first, after=after
        )
