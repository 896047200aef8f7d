"""The ``Category`` type: a node of the category tree."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from shopx.api.graphql.arguments import period_span
from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.date_range import DateRangeInput
from shopx.api.graphql.types.period import Period
from shopx.db.models import Category as CategoryRow

if TYPE_CHECKING:
    from shopx.api.graphql.types.category_performance import CategoryPerformance

# CategoryPerformance names its category, so the category reaches it lazily (strawberry.lazy).
LazyCategoryPerformance = Annotated[
    "CategoryPerformance", strawberry.lazy("shopx.api.graphql.types.category_performance")
]


@strawberry.type(name="Category", description="A node of the two-level category tree.")
class CategoryType:
    id: strawberry.ID
    name: str
    parent_id: strawberry.ID | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[CategoryRow]

    @strawberry.field(description="This category's sales over a period, subtree included.")
    async def performance(
        self,
        info: Info[Context, None],
        period: Period = Period.MONTH,
        date_range: DateRangeInput | None = None,
    ) -> LazyCategoryPerformance:
        # A lazy type reference: category_performance imports this module.
        from shopx.api.graphql.types.category_performance import category_performance_of

        span = period_span(info.context, period, date_range)
        return await category_performance_of(info.context, self.row.id, span)

    @strawberry.field(description="The parent category; null for a top-level category.")
    async def parent(self, info: Info[Context, None]) -> CategoryType | None:
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders.category_by_id.load(self.row.parent_id)
        return CategoryType.from_row(row) if row else None

    @strawberry.field(description="The direct subcategories, by name.")
    async def children(self, info: Info[Context, None]) -> list[CategoryType]:
        rows = await info.context.loaders.categories_by_parent_id.load(self.row.id)
        return [CategoryType.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: CategoryRow) -> CategoryType:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            parent_id=strawberry.ID(str(row.parent_id)) if row.parent_id else None,
            is_active=row.is_active,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )
