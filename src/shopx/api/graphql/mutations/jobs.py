"""``runJob``: run a background job now: sent to a worker with a broker, else run here."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.job import RunJobInput
from shopx.api.graphql.types.job_run import JobRun
from shopx.auth import Permission
from shopx.jobs.dispatch import enqueue
from shopx.jobs.runner import run_job


@strawberry.type
class JobsMutation:
    @strawberry.mutation(
        description="Run a job now (trigger manual) and return its recorded run: with a broker"
        " the run is sent to a worker and returned queued (FAILED with 'broker unavailable'"
        " when it could not be sent); without, it runs in the process that answers and"
        " returns ended. An unknown name is BAD_USER_INPUT."
    )
    async def run_job(self, info: Info[Context, None], input: RunJobInput) -> JobRun:
        context = info.context
        context.require(Permission.WRITE)
        if context.settings.broker_url:
            record = await enqueue(input.name, "manual", context.engine, context.settings)
        else:
            record = await run_job(
                input.name, "manual", context.engine, context.settings, cache=context.cache
            )
        return JobRun.of(record)
