"""Mutations of sales representatives."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.sales_rep import (
    SALES_REP_FIELDS,
    CreateSalesRepInput,
    UpdateSalesRepInput,
)
from shopx.api.graphql.types.sales_rep import SalesRepType
from shopx.api.graphql.values import collect, identifier
from shopx.auth import Permission
from shopx.reps import service


@strawberry.type
class SalesRepMutation:
    @strawberry.mutation(description="Create a sales rep.")
    async def create_sales_rep(
        self, info: Info[Context, None], input: CreateSalesRepInput
    ) -> SalesRepType:
        context = info.context
        context.require(Permission.WRITE)
        fields = collect(input, SALES_REP_FIELDS)
        async with context.write() as session:
            row = await service.create_sales_rep(session, fields)
        return SalesRepType.from_row(row)

    @strawberry.mutation(description="Change a sales rep's fields.")
    async def update_sales_rep(
        self, info: Info[Context, None], input: UpdateSalesRepInput
    ) -> SalesRepType:
        context = info.context
        context.require(Permission.WRITE)
        rep_id = identifier(input.id, "id")
        fields = collect(input, SALES_REP_FIELDS)
        async with context.write() as session:
            row = await service.update_sales_rep(session, rep_id, fields)
        return SalesRepType.from_row(row)
