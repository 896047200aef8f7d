"""The ``SalesOverview`` type: revenue, orders, AOV, customers, units, profit and margin vs the
comparison."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shopx.analytics.metrics import SalesTotals, money
from shopx.analytics.overview import Overview
from shopx.api.graphql.definitions import definition


@strawberry.type(description=f"{definition(Overview)} Percentages: 23.5 = 23.5%.")
class SalesOverview:
    period_start: datetime
    period_end: datetime
    total_revenue: Decimal
    total_orders: int
    average_order_value: Decimal = strawberry.field(
        description=definition(SalesTotals.average_order_value)
    )
    unique_customers: int
    units_sold: int
    total_profit: Decimal = strawberry.field(description=definition(SalesTotals.profit_cents))
    profit_margin: float | None = strawberry.field(
        description=definition(SalesTotals.profit_margin)
    )
    total_discount: Decimal
    cancelled_orders: int
    cancelled_revenue: Decimal
    revenue_change: Decimal = strawberry.field(description=definition(Overview.difference))
    revenue_change_percentage: float | None = strawberry.field(
        description=definition(Overview.growth)
    )
    orders_change: int = strawberry.field(description=definition(Overview.difference))
    orders_change_percentage: float | None = strawberry.field(
        description=definition(Overview.growth)
    )
    aov_change: Decimal = strawberry.field(description=definition(Overview.difference))
    aov_change_percentage: float | None = strawberry.field(description=definition(Overview.growth))
    customers_change: int = strawberry.field(description=definition(Overview.difference))
    customers_change_percentage: float | None = strawberry.field(
        description=definition(Overview.growth)
    )
    units_change: int = strawberry.field(description=definition(Overview.difference))
    units_change_percentage: float | None = strawberry.field(
        description=definition(Overview.growth)
    )
    profit_change: Decimal = strawberry.field(description=definition(Overview.difference))
    profit_change_percentage: float | None = strawberry.field(
        description=definition(Overview.growth)
    )
    margin_change: float | None = strawberry.field(description=definition(Overview.margin_change))
    data_as_of: datetime | None = strawberry.field(
        description="Commit time of the newest write this answer reflects."
    )

    @classmethod
    def build(cls, view: Overview, data_as_of: datetime | None) -> SalesOverview:
        now = view.current
        return cls(
            period_start=view.span.start,
            period_end=view.span.end,
            total_revenue=money(now.revenue_cents),
            total_orders=now.orders,
            average_order_value=money(now.average_order_value),
            unique_customers=now.customers,
            units_sold=now.units,
            total_profit=money(now.profit_cents),
            profit_margin=now.profit_margin,
            total_discount=money(now.discount_cents),
            cancelled_orders=now.cancelled_orders,
            cancelled_revenue=money(now.cancelled_revenue_cents),
            revenue_change=money(view.difference("revenue_cents")),
            revenue_change_percentage=view.growth("revenue_cents"),
            orders_change=int(view.difference("orders")),
            orders_change_percentage=view.growth("orders"),
            aov_change=money(view.difference("average_order_value")),
            aov_change_percentage=view.growth("average_order_value"),
            customers_change=int(view.difference("customers")),
            customers_change_percentage=view.growth("customers"),
            units_change=int(view.difference("units")),
            units_change_percentage=view.growth("units"),
            profit_change=money(view.difference("profit_cents")),
            profit_change_percentage=view.growth("profit_cents"),
            margin_change=view.margin_change,
            data_as_of=data_as_of,
        )
