"""The ``CategoryProfit`` type: a top-level category's profit."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from shopx.analytics.metrics import ItemTotals, money
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.category import CategoryType
from shopx.db.models import Category


@strawberry.type(
    description=f"A top-level category's profit, its subtree included. {definition(ItemTotals)}"
)
class CategoryProfit:
    category: CategoryType
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    margin: float | None = strawberry.field(description=definition(ItemTotals.profit_margin))

    @classmethod
    def build(cls, category: Category, totals: ItemTotals) -> CategoryProfit:
        return cls(
            category=CategoryType.from_row(category),
            revenue=money(totals.item_sales_cents),
            cost=money(totals.cost_cents),
            profit=money(totals.profit_cents),
            margin=totals.profit_margin,
        )
