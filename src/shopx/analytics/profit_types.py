"""GraphQL types of profitability and margin analysis."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.margins import MarginAnalysis, MarginGroup, MarginGroupBy
from shopx.analytics.metrics import ItemTotals, SalesTotals, average, money
from shopx.analytics.periods import Span
from shopx.analytics.product_types import ProductInsight
from shopx.analytics.profitability import Profitability
from shopx.catalog.types import CategoryType
from shopx.db.models import Category, Segment

ITEM_LEVEL = "Item sales (quantity x unit price) before order-level discounts."
ORDER_LEVEL = "Order revenue net of discount; profit = item sales - cost - discount."

strawberry.enum(
    MarginGroupBy,
    name="MarginGroupBy",
    description=(
        f"PRODUCT, CATEGORY (top-level, subtree included), BRAND: {ITEM_LEVEL} "
        f"CUSTOMER_SEGMENT (current segment), SALES_REP (orders without a rep left out), "
        f"REGION (the customer's), PAYMENT_MODE, DAY, WEEK, MONTH (business-local): "
        f"{ORDER_LEVEL}"
    ),
)


@strawberry.type(description=f"A top-level category's profit, its subtree included. {ITEM_LEVEL}")
class CategoryProfit:
    category: CategoryType
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    margin: float | None = strawberry.field(description="Profit / revenue, in %.")

    @classmethod
    def build(cls, category: Category, totals: ItemTotals) -> CategoryProfit:
        return cls(
            category=CategoryType.from_row(category),
            revenue=money(totals.revenue_cents),
            cost=money(totals.cost_cents),
            profit=money(totals.profit_cents),
            margin=totals.profit_margin,
        )


@strawberry.type(description=f"Orders of the customers now in one segment. {ORDER_LEVEL}")
class SegmentProfit:
    segment: Segment
    orders: int
    revenue: Decimal
    cost: Decimal
    discount: Decimal
    profit: Decimal
    margin: float | None = strawberry.field(description="Profit / revenue, in %.")

    @classmethod
    def build(cls, segment: Segment, totals: SalesTotals) -> SegmentProfit:
        return cls(
            segment=segment,
            orders=totals.orders,
            revenue=money(totals.revenue_cents),
            cost=money(totals.cost_cents),
            discount=money(totals.discount_cents),
            profit=money(totals.profit_cents),
            margin=totals.profit_margin,
        )


@strawberry.type(
    description=(
        "Profit over a period. Totals and byCustomerSegment are order-level: revenue net of "
        "discount, profit = item sales - cost - discount. byCategory and byProduct are item "
        "sales before order discounts, so the byCategory profits add up to totalProfit + "
        "totalDiscount. Recognised orders only; refunds and cancellations count against the "
        "order's own date."
    )
)
class ProfitabilityMetrics:
    period_start: datetime
    period_end: datetime
    total_revenue: Decimal
    total_cost: Decimal
    total_discount: Decimal
    total_profit: Decimal
    profit_margin: float | None = strawberry.field(description="Total profit / revenue, in %.")
    average_order_profit: Decimal = strawberry.field(description="Total profit / orders.")
    by_category: list[CategoryProfit]
    by_product: list[ProductInsight] = strawberry.field(description="The top 20 by profit.")
    by_customer_segment: list[SegmentProfit]

    @classmethod
    def build(
        cls, view: Profitability, span: Span, products: list[ProductInsight]
    ) -> ProfitabilityMetrics:
        totals = view.totals
        return cls(
            period_start=span.start,
            period_end=span.end,
            total_revenue=money(totals.revenue_cents),
            total_cost=money(totals.cost_cents),
            total_discount=money(totals.discount_cents),
            total_profit=money(totals.profit_cents),
            profit_margin=totals.profit_margin,
            average_order_profit=money(average(totals.profit_cents, totals.orders)),
            by_category=[CategoryProfit.build(*row) for row in view.categories],
            by_product=products,
            by_customer_segment=[
                SegmentProfit.build(segment, sums) for segment, sums in view.segments.items()
            ],
        )


@strawberry.type(
    name="MarginGroup",
    description="One group of a margin analysis (see MarginGroupBy for what revenue means).",
)
class MarginGroupType:
    group_id: str = strawberry.field(
        description=(
            "The product, category or rep id; the brand, segment, region or payment mode "
            '("" for none); the first day of the DAY, WEEK or MONTH.'
        )
    )
    group_name: str
    revenue: Decimal
    cost: Decimal
    profit: Decimal
    margin: float | None = strawberry.field(description="Profit / revenue, in %.")
    contribution: float | None = strawberry.field(
        description="Share of the profit of all groups (also those past the limit), in %."
    )

    @classmethod
    def build(cls, group: MarginGroup, analysis: MarginAnalysis) -> MarginGroupType:
        return cls(
            group_id=group.key,
            group_name=group.name,
            revenue=money(group.revenue_cents),
            cost=money(group.cost_cents),
            profit=money(group.profit_cents),
            margin=group.margin,
            contribution=analysis.contribution(group),
        )
