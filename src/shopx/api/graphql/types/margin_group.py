"""The ``MarginGroup`` type: one group of a margin analysis."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.margins import MarginAnalysis, MarginGroup
from shopx.analytics.metrics import money
from shopx.api.graphql.definitions import definition


@strawberry.type(
    name="MarginGroup",
    description="One group of a margin analysis (see MarginGroupBy for what its sales are).",
)
class MarginGroupType:
    group_id: str = strawberry.field(
        description=(
            "The product, category or rep id; the brand, segment, region or payment mode "
            '("" for none); the first day of the DAY, WEEK or MONTH.'
        )
    )
    group_name: str
    revenue: Decimal = strawberry.field(description=definition(MarginGroup, "sales_cents"))
    cost: Decimal
    profit: Decimal
    margin: float | None = strawberry.field(description=definition(MarginGroup.margin))
    contribution: float | None = strawberry.field(
        description=definition(MarginAnalysis.contribution)
    )

    @classmethod
    def build(cls, group: MarginGroup, analysis: MarginAnalysis) -> MarginGroupType:
        return cls(
            group_id=group.key,
            group_name=group.name,
            revenue=money(group.sales_cents),
            cost=money(group.cost_cents),
            profit=money(group.profit_cents),
            margin=group.margin,
            contribution=analysis.contribution(group),
        )
