"""``runJob``: run a background job now, in the process that answers."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.job import RunJobInput
from shopx.api.graphql.types.job_run import JobRun
from shopx.auth import Permission
from shopx.jobs.runner import run_job


@strawberry.type
class JobsMutation:
    @strawberry.mutation(
        description="Run a job now in this process (trigger manual) and return its recorded run;"
        " an unknown name is BAD_USER_INPUT."
    )
    async def run_job(self, info: Info[Context, None], input: RunJobInput) -> JobRun:
        context = info.context
        context.require(Permission.WRITE)
        record = await run_job(
            input.name, "manual", context.engine, context.settings, cache=context.cache
        )
        return JobRun.of(record)
