"""The ``JobOutcome`` enum: how a job's run ended (:mod:`shopx.jobs.runner`)."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.jobs import runner

JobOutcome = strawberry.enum(
    runner.Outcome, name="JobOutcome", description=definition(runner.Outcome)
)
