"""Input of ``runJob``: which job to run."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.jobs.registry import Job


@strawberry.input
class RunJobInput:
    name: str = strawberry.field(description=definition(Job, "name"))
