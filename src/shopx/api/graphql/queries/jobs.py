"""``jobs``: the background jobs and their latest runs (admins only, never cached)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.types.job import Job
from shopx.auth import Permission
from shopx.jobs.registry import JOBS


@strawberry.type
class JobsQuery:
    @strawberry.field(description="Every background job, with its schedule and latest runs.")
    async def jobs(self, info: Info[Context, None]) -> list[Job]:
        info.context.require(Permission.WRITE)
        return [Job.of(job) for job in JOBS.values()]
