"""The ``Report`` type: a stored summary of a closed day, week or month."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from shopx.analytics.metrics import money
from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.report_kind import ReportKind
from shopx.api.graphql.types.report_product import ReportProduct
from shopx.api.graphql.types.report_sales_rep import ReportSalesRep
from shopx.api.report_routes import report_url
from shopx.db.models import Report as ReportRow
from shopx.reports import periods
from shopx.reports.figures import MEASURES, Figures, Headline
from shopx.reports.store import figures_of, period_of


def _previous() -> Any:
    return strawberry.field(description="The previous period's value.")


def _change() -> Any:
    return strawberry.field(description="This period's value minus the previous period's.")


def _percentage() -> Any:
    return strawberry.field(description=definition(Headline, "change_percentage"))


@strawberry.type(
    description=(
        f"{definition(Figures)} Stored by the `reports` job and computed as `salesOverview`, "
        "`topProducts` and `topSalesReps` compute them for a CUSTOM dateRange from periodStart "
        "to periodEnd. Money in the shop currency."
    )
)
class Report:
    id: strawberry.ID
    kind: ReportKind
    period_start: date = strawberry.field(description="The period's first local day.")
    period_end: date = strawberry.field(description="The period's last local day (inclusive).")
    previous_period_start: datetime = strawberry.field(
        description="Start of the previous period: the span of equal length ending at this one's."
    )
    previous_period_end: datetime
    created_at: datetime
    sent_at: datetime | None = strawberry.field(
        description="When the report was e-mailed; null when it was not (yet)."
    )
    revenue: Decimal
    previous_revenue: Decimal = _previous()
    revenue_change: Decimal = _change()
    revenue_change_percentage: float | None = _percentage()
    orders: int
    previous_orders: int = _previous()
    orders_change: int = _change()
    orders_change_percentage: float | None = _percentage()
    aov: Decimal = strawberry.field(description="Average order value: revenue / orders.")
    previous_aov: Decimal = _previous()
    aov_change: Decimal = _change()
    aov_change_percentage: float | None = _percentage()
    customers: int
    previous_customers: int = _previous()
    customers_change: int = _change()
    customers_change_percentage: float | None = _percentage()
    units: int
    previous_units: int = _previous()
    units_change: int = _change()
    units_change_percentage: float | None = _percentage()
    profit: Decimal
    previous_profit: Decimal = _previous()
    profit_change: Decimal = _change()
    profit_change_percentage: float | None = _percentage()
    top_products: list[ReportProduct] = strawberry.field(
        description="The five best products by revenue (item sales)."
    )
    top_sales_reps: list[ReportSalesRep] = strawberry.field(
        description="The five best reps by sales."
    )
    html_url: str = strawberry.field(description="Download as HTML (same token as this query).")
    csv_url: str = strawberry.field(description="Download as CSV (same token as this query).")

    @classmethod
    def of(cls, row: ReportRow) -> Report:
        period, figures = period_of(row), figures_of(row)
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=periods.ReportKind(row.kind),
            period_start=period.first,
            period_end=period.last,
            previous_period_start=figures.previous_period.start,
            previous_period_end=figures.previous_period.end,
            created_at=row.created_at,
            sent_at=row.sent_at,
            top_products=[ReportProduct.of(item) for item in figures.top_products],
            top_sales_reps=[ReportSalesRep.of(item) for item in figures.top_reps],
            html_url=report_url(row.id, "html"),
            csv_url=report_url(row.id, "csv"),
            **_headline_fields(figures),
        )


def _headline_fields(figures: Figures) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, line in figures.headlines.items():
        shown = money if MEASURES[name][1] else int
        fields[name] = shown(line.value)
        fields[f"previous_{name}"] = shown(line.previous)
        fields[f"{name}_change"] = shown(line.change)
        fields[f"{name}_change_percentage"] = line.change_percentage
    return fields
