"""The ``Job`` type: a background job of the registry, with its latest runs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from shopx.api.graphql.arguments import check_limit
from shopx.api.graphql.context import Context
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.job_run import JobRun
from shopx.jobs import registry
from shopx.jobs.runner import recent_runs
from shopx.jobs.schedule import OFF, Schedule

UNSCHEDULED = "only when run by hand"

MAX_RECENT_RUNS = 50


@strawberry.type(description="A background job (`shopx jobs list` shows the same).")
class Job:
    name: str = strawberry.field(description=definition(registry.Job, "name"))
    description: str = strawberry.field(description=definition(registry.Job, "description"))
    schedule: str = strawberry.field(
        description="When the schedule runs it: a cron expression read in the business time"
        " zone, the default or SHOPX_JOB_SCHEDULES's; `off` when it runs only when asked."
    )
    schedule_description: str = strawberry.field(
        description=f'The schedule in words ("daily 03:00", "every 10 min"), or "{UNSCHEDULED}".'
    )
    next_run: datetime | None = strawberry.field(
        description="When the schedule runs it next (UTC); null when it is off."
    )
    queue: str = strawberry.field(description=definition(registry.Job, "queue"))

    @classmethod
    def of(cls, job: registry.Job, schedule: Schedule | None, now: datetime, tz: ZoneInfo) -> Job:
        """``job`` as it is scheduled (``schedule``: its effective one) at ``now``."""
        return cls(
            name=job.name,
            description=job.description,
            schedule=OFF if schedule is None else schedule.cron,
            schedule_description=UNSCHEDULED if schedule is None else schedule.describe(),
            next_run=None if schedule is None else schedule.next_after(now, tz),
            queue=job.queue,
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
