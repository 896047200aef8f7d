"""The ``SalesOverview`` type: revenue, orders, AOV, customers, units, profit and margin vs the
comparison."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry

from shopx.analytics.metrics import SalesTotals, money
from shopx.analytics.overview import Compared, Overview
from shopx.api.graphql.definitions import definition

COMPARED: dict[str, tuple[Compared, Callable[[Any], Any]]] = {
    "revenue": ("revenue_cents", money),
    "orders": ("orders", int),
    "aov": ("average_order_value", money),
    "customers": ("customers", int),
    "units": ("units", int),
    "profit": ("profit_cents", money),
}
"""``<name>_change`` and ``<name>_change_percentage`` per compared measure, and how the
change is shown (money or a count)."""


def _difference() -> Any:
    return strawberry.field(description=definition(Overview.difference))


def _growth() -> Any:
    return strawberry.field(description=definition(Overview.growth))


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
    revenue_change: Decimal = _difference()
    revenue_change_percentage: float | None = _growth()
    orders_change: int = _difference()
    orders_change_percentage: float | None = _growth()
    aov_change: Decimal = _difference()
    aov_change_percentage: float | None = _growth()
    customers_change: int = _difference()
    customers_change_percentage: float | None = _growth()
    units_change: int = _difference()
    units_change_percentage: float | None = _growth()
    profit_change: Decimal = _difference()
    profit_change_percentage: float | None = _growth()
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
            **_changes(view),
            margin_change=view.margin_change,
            data_as_of=data_as_of,
        )


def _changes(view: Overview) -> dict[str, Any]:
    """Each compared measure's change (shown as money or a count) and its percentage."""
    found: dict[str, Any] = {}
    for name, (measure, shown) in COMPARED.items():
        found[f"{name}_change"] = shown(view.difference(measure))
        found[f"{name}_change_percentage"] = view.growth(measure)
    return found
