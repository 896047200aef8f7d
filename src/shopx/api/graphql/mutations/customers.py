"""Mutations of customers."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.customer import (
    CUSTOMER_FIELDS,
    CreateCustomerInput,
    DeleteCustomerInput,
    UpdateCustomerInput,
)
from shopx.api.graphql.types.customer import CustomerType
from shopx.api.graphql.values import collect, identifier
from shopx.auth import Permission
from shopx.customers import service


@strawberry.type
class CustomerMutation:
    @strawberry.mutation(description="Create a customer.")
    async def create_customer(
        self, info: Info[Context, None], input: CreateCustomerInput
    ) -> CustomerType:
        context = info.context
        context.require(Permission.WRITE)
        fields = collect(input, CUSTOMER_FIELDS)
        async with context.write() as session:
            row = await service.create_customer(session, fields)
        return CustomerType.from_row(row)

    @strawberry.mutation(description="Change a customer's fields; history follows their region.")
    async def update_customer(
        self, info: Info[Context, None], input: UpdateCustomerInput
    ) -> CustomerType:
        context = info.context
        context.require(Permission.WRITE)
        customer_id = identifier(input.id, "id")
        fields = collect(input, CUSTOMER_FIELDS)
        async with context.write() as session:
            row = await service.update_customer(
                session, customer_id, fields, tz=context.settings.tz
            )
        return CustomerType.from_row(row)

    @strawberry.mutation(description="Soft-delete a customer: inactive, their orders kept.")
    async def delete_customer(
        self, info: Info[Context, None], input: DeleteCustomerInput
    ) -> CustomerType:
        context = info.context
        context.require(Permission.WRITE)
        customer_id = identifier(input.id, "id")
        async with context.write() as session:
            row = await service.delete_customer(session, customer_id)
        return CustomerType.from_row(row)
