"""The ``Job`` type: a background job of the registry, with its latest runs."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.arguments import check_limit
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.job_run import JobRun
from shopx.jobs import registry
from shopx.jobs.runner import recent_runs

MAX_RECENT_RUNS = 50


@strawberry.type(description="A background job (`shopx jobs list` shows the same).")
class Job:
    name: str = strawberry.field(description=definition(registry.Job, "name"))
    description: str = strawberry.field(description=definition(registry.Job, "description"))
    schedule: str = strawberry.field(description=definition(registry.Job, "schedule"))
    queue: str = strawberry.field(description=definition(registry.Job, "queue"))

    @classmethod
    def of(cls, job: registry.Job) -> Job:
        return cls(
            name=job.name, description=job.description, schedule=job.schedule, queue=job.queue
        )

    @strawberry.field(description="The job's latest run; null when it never ran.")
    async def last_run(self, info: Info[Context, None]) -> JobRun | None:
        runs = await _runs(info.context, self.name, 1)
        return runs[0] if runs else None

    @strawberry.field(
        description=f"The job's latest runs, newest first (at most {MAX_RECENT_RUNS})."
    )
    async def recent_runs(self, info: Info[Context, None], limit: int = 10) -> list[JobRun]:
        return await _runs(info.context, self.name, check_limit(limit, maximum=MAX_RECENT_RUNS))


async def _runs(context: Context, name: str, limit: int) -> list[JobRun]:
    """Read on the primary: a replica may not have the run that just ended."""
    async with context.read(primary=True) as session:
        return [JobRun.of(record) for record in await recent_runs(session, name, limit)]
