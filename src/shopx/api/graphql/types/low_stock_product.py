"""The ``LowStockProduct`` type: a product at or below its reorder level."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.definitions import definition
from shopx.api.graphql.types.product import ProductType
from shopx.catalog.stock import LowStock


@strawberry.type(description=definition(LowStock))
class LowStockProduct:
    product: ProductType
    stock_quantity: int
    reorder_level: int
    units_sold_last_30_days: int = strawberry.field(description=definition(LowStock, "units_sold"))
    daily_sales_rate: float = strawberry.field(description=definition(LowStock.daily_sales_rate))
    days_of_stock_left: float | None = strawberry.field(
        description=definition(LowStock.days_of_stock_left)
    )

    @classmethod
    def build(cls, row: LowStock) -> LowStockProduct:
        return cls(
            product=ProductType.from_row(row.product),
            stock_quantity=row.product.stock_quantity,
            reorder_level=row.product.reorder_level,
            units_sold_last_30_days=row.units_sold,
            daily_sales_rate=row.daily_sales_rate,
            days_of_stock_left=row.days_of_stock_left,
        )
