"""The ``LowStockProduct`` type: a product at or below its reorder level."""

from __future__ import annotations

from fractions import Fraction

import strawberry

from shopx.api.graphql.types.product import ProductType
from shopx.db.models import Product as ProductRow


@strawberry.type(
    description=(
        "An active product at or below its reorder level. The sales rate counts units of "
        "recognised orders (COMPLETED by default) over the last 30 days."
    )
)
class LowStockProduct:
    product: ProductType
    stock_quantity: int
    reorder_level: int
    units_sold_last_30_days: int
    daily_sales_rate: float = strawberry.field(description="Units sold per day, last 30 days.")
    days_of_stock_left: float | None = strawberry.field(
        description="Stock / daily sales rate; null when nothing sold in the last 30 days."
    )

    @classmethod
    def build(cls, row: ProductRow, units_sold: int, window_days: int) -> LowStockProduct:
        rate = Fraction(units_sold, window_days)
        return cls(
            product=ProductType.from_row(row),
            stock_quantity=row.stock_quantity,
            reorder_level=row.reorder_level,
            units_sold_last_30_days=units_sold,
            daily_sales_rate=round(float(rate), 4),
            days_of_stock_left=round(float(row.stock_quantity / rate), 2) if rate else None,
        )
