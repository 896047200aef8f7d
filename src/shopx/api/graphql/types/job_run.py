"""The ``JobRun`` type: one recorded run of a background job."""

from __future__ import annotations

from datetime import datetime

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.job_outcome import JobOutcome
from shopx.jobs.runner import Outcome, RunRecord


@strawberry.type(description=definition(RunRecord))
class JobRun:
    id: strawberry.ID
    trigger: str = strawberry.field(description=definition(RunRecord, "trigger"))
    started_at: datetime | None = strawberry.field(description=definition(RunRecord, "started_at"))
    finished_at: datetime | None = strawberry.field(
        description=definition(RunRecord, "finished_at")
    )
    duration_ms: int | None = strawberry.field(description=definition(RunRecord, "duration_ms"))
    outcome: JobOutcome
    rows: int | None = strawberry.field(description=definition(RunRecord, "rows"))
    error: str | None = strawberry.field(description=definition(RunRecord, "error"))
    detail: str | None = strawberry.field(description=definition(RunRecord, "detail"))

    @classmethod
    def of(cls, record: RunRecord) -> JobRun:
        return cls(
            id=strawberry.ID(str(record.id)),
            trigger=record.trigger,
            started_at=record.started_at,
            finished_at=record.finished_at,
            duration_ms=record.duration_ms,
            outcome=Outcome(record.outcome),
            rows=record.rows,
            error=record.error,
            detail=record.detail,
        )
