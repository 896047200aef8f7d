"""The ``Cohort`` type: customers by month of first order, and how many came back."""

from __future__ import annotations

from datetime import date

import strawberry

from shopx.analytics.metrics import ratio
from shopx.analytics.retention import Cohort


@strawberry.type(
    name="Cohort",
    description=(
        "Customers whose first recognised order fell in one business-local month. "
        "retention[k]: the share of them (plain ratio) with a recognised order k months "
        "later, up to the running month; retention[0] = 1.0; null for an empty cohort."
    ),
)
class CohortType:
    cohort_month: date = strawberry.field(description="The first day of the cohort's month.")
    size: int
    retention: list[float | None]

    @classmethod
    def build(cls, cohort: Cohort) -> CohortType:
        shares = [ratio(active, cohort.size) for active in cohort.active]
        return cls(cohort_month=cohort.month, size=cohort.size, retention=shares)
