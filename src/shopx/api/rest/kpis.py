"""``/api/v1/kpis/summary``: the headline numbers of the last N days against the N days
before, with the top products, computed by the analytics functions GraphQL's
``salesOverview`` and ``topProducts`` use, and cached like their answers."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from shopx.analytics.kpis import MAX_DAYS_BACK, KpiSummary, kpi_summary, last_days
from shopx.analytics.metrics import money
from shopx.analytics.overview import Compared, Overview
from shopx.analytics.reporting import ReportingRules
from shopx.api.rest.access import READ_REFUSALS, DashboardReader
from shopx.api.rest.caching import cached_json, plan
from shopx.auth import Permission
from shopx.cache.documents import TtlClass
from shopx.cache.tags import ORDERS, PRODUCTS

router = APIRouter(
    prefix="/api/v1/kpis",
    tags=["kpis"],
    responses=READ_REFUSALS,
    default_response_class=JSONResponse,  # documents the JSON bodies (handlers return Response)
)
SUMMARY = plan("GET /api/v1/kpis/summary", TtlClass.OVERVIEW, frozenset({ORDERS, PRODUCTS}))


class Change(BaseModel):
    current: str | int = Field(description="This span's value (money as a decimal string).")
    previous: str | int = Field(description="The previous span's value.")
    change: str | int = Field(description="current - previous.")
    change_percentage: float | None = Field(
        description="Change in % of the previous value (23.5 = 23.5%); null when it was 0."
    )


class TopProduct(BaseModel):
    rank: int
    product_id: str
    sku: str
    name: str
    revenue: str = Field(description="Item sales (quantity x unit price) before discounts.")
    units_sold: int
    order_count: int
    growth_rate: float | None = Field(description="Revenue change vs the previous span, %.")


class Window(BaseModel):
    start: datetime
    end: datetime


EXAMPLE = {
    "days_back": 30,
    "currency": "USD",
    "period": {"start": "2026-10-22T00:00:00+00:00", "end": "2026-11-20T15:30:00+00:00"},
    "previous_period": {"start": "2026-09-22T08:30:00+00:00", "end": "2026-10-22T00:00:00+00:00"},
    "revenue": {
        "current": "120500.00",
        "previous": "100000.00",
        "change": "20500.00",
        "change_percentage": 20.5,
    },
    "orders": {"current": 1200, "previous": 1000, "change": 200, "change_percentage": 20.0},
    "average_order_value": {
        "current": "100.42",
        "previous": "100.00",
        "change": "0.42",
        "change_percentage": 0.42,
    },
    "customers": {"current": 800, "previous": 750, "change": 50, "change_percentage": 6.67},
    "top_products": [
        {
            "rank": 1,
            "product_id": "42",
            "sku": "SKU-000042",
            "name": "Acme Compact Kettle",
            "revenue": "5400.00",
            "units_sold": 216,
            "order_count": 190,
            "growth_rate": 12.5,
        }
    ],
}


class KpiSummaryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": EXAMPLE})

    days_back: int
    currency: str
    period: Window = Field(
        description="The last `days_back` business-local days, today so far included."
    )
    previous_period: Window = Field(description="Equal length, ending where `period` starts.")
    revenue: Change = Field(description="Recognised orders, net of discount.")
    orders: Change
    average_order_value: Change
    customers: Change = Field(description="Distinct customers with a recognised order.")
    top_products: list[TopProduct] = Field(description="The five best by revenue (item sales).")


def _change(view: Overview, measure: Compared, *, is_money: bool) -> Change:
    now, before = getattr(view.current, measure), getattr(view.previous, measure)

    def shown(value: int | Fraction) -> str | int:
        return str(money(value)) if is_money else int(value)

    return Change(
        current=shown(now),
        previous=shown(before),
        change=shown(view.difference(measure)),
        change_percentage=view.growth(measure),
    )


def _shape(days: int, currency: str, summary: KpiSummary) -> KpiSummaryOut:
    view = summary.overview
    previous_start = view.span.start - view.span.duration
    return KpiSummaryOut(
        days_back=days,
        currency=currency,
        period=Window(start=view.span.start, end=view.span.end),
        previous_period=Window(start=previous_start, end=view.span.start),
        revenue=_change(view, "revenue_cents", is_money=True),
        orders=_change(view, "orders", is_money=False),
        average_order_value=_change(view, "average_order_value", is_money=True),
        customers=_change(view, "customers", is_money=False),
        top_products=[
            TopProduct(
                rank=sales.rank,
                product_id=str(product.id),
                sku=product.sku,
                name=product.name,
                revenue=str(money(sales.totals.item_sales_cents)),
                units_sold=sales.totals.units,
                order_count=sales.totals.orders,
                growth_rate=sales.growth_rate,
            )
            for sales, product in summary.top
        ],
    )


@router.get(
    "/summary",
    response_model=KpiSummaryOut,
    responses={
        200: {"model": KpiSummaryOut, "description": "The summary"},
        304: {"description": "Not modified"},
    },
)
async def kpis_summary(
    request: Request,
    caller: DashboardReader,
    days_back: Annotated[
        int, Query(ge=1, le=MAX_DAYS_BACK, description="Days, today included.")
    ] = 30,
) -> Response:
    """Revenue, orders, average order value and customers over the last `days_back`
    business-local days (today so far included) against the span of equal length before,
    and the top five products by revenue. Revenue counts recognised orders (COMPLETED by
    default) net of discount; a refund counts against its order's own date."""
    state = request.app.state
    settings = state.settings

    async def payload() -> dict[str, Any]:
        rules = ReportingRules.of(settings)
        span = last_days(state.clock(), days_back, rules)
        summary = await kpi_summary(state.read_sessions, span, rules)
        return _shape(days_back, settings.currency, summary).model_dump(mode="json")

    return await cached_json(
        request, SUMMARY, caller, payload, permission=Permission.DASHBOARD_READ
    )
