"""``jobs``: the background jobs and their latest runs (admins only, never cached)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.types.job import Job
from shopx.auth import Permission
from shopx.jobs.registry import JOBS, schedules


@strawberry.type
class JobsQuery:
    @strawberry.field(description="Every background job, with its schedule and latest runs.")
    async def jobs(self, info: Info[Context, None]) -> list[Job]:
        context = info.context
        context.require(Permission.WRITE)
        planned = schedules(context.settings)
        tz = context.settings.tz
        return [Job.of(job, planned[job.name], context.now, tz) for job in JOBS.values()]
