"""The ``Cohort`` type: customers by month of first order, and how many came back."""

from __future__ import annotations

from datetime import date

import strawberry

from shopx.analytics.retention import Cohort
from shopx.api.graphql.definitions import definition


@strawberry.type(name="Cohort", description=definition(Cohort))
class CohortType:
    cohort_month: date = strawberry.field(description="The first day of the cohort's month.")
    size: int
    retention: list[float | None] = strawberry.field(description=definition(Cohort.retention))

    @classmethod
    def build(cls, cohort: Cohort) -> CohortType:
        return cls(cohort_month=cohort.month, size=cohort.size, retention=cohort.retention)
