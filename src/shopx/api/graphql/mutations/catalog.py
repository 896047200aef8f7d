"""Mutations of categories and products."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shopx.api.graphql.context import Context
from shopx.api.graphql.inputs.category import (
    CATEGORY_FIELDS,
    CreateCategoryInput,
    UpdateCategoryInput,
)
from shopx.api.graphql.inputs.product import (
    PRODUCT_FIELDS,
    CreateProductInput,
    DeleteProductInput,
    UpdateProductInput,
)
from shopx.api.graphql.types.category import CategoryType
from shopx.api.graphql.types.product import ProductType
from shopx.api.graphql.values import collect, identifier
from shopx.auth import Permission
from shopx.catalog import service


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description="Create a category (top-level, or under a top-level one).")
    async def create_category(
        self, info: Info[Context, None], input: CreateCategoryInput
    ) -> CategoryType:
        context = info.context
        context.require(Permission.WRITE)
        fields = collect(input, CATEGORY_FIELDS)
        async with context.write() as session:
            row = await service.create_category(session, fields)
        return CategoryType.from_row(row)

    @strawberry.mutation(description="Rename a category or move it in the two-level tree.")
    async def update_category(
        self, info: Info[Context, None], input: UpdateCategoryInput
    ) -> CategoryType:
        context = info.context
        context.require(Permission.WRITE)
        category_id = identifier(input.id, "id")
        fields = collect(input, CATEGORY_FIELDS)
        async with context.write() as session:
            row = await service.update_category(
                session, category_id, fields, tz=context.settings.tz
            )
        return CategoryType.from_row(row)

    @strawberry.mutation(description="Create a product; its sku must be unused.")
    async def create_product(
        self, info: Info[Context, None], input: CreateProductInput
    ) -> ProductType:
        context = info.context
        context.require(Permission.WRITE)
        fields = collect(input, PRODUCT_FIELDS)
        async with context.write() as session:
            row = await service.create_product(session, fields)
        return ProductType.from_row(row)

    @strawberry.mutation(description="Change a product's fields; history follows its category.")
    async def update_product(
        self, info: Info[Context, None], input: UpdateProductInput
    ) -> ProductType:
        context = info.context
        context.require(Permission.WRITE)
        product_id = identifier(input.id, "id")
        fields = collect(input, PRODUCT_FIELDS)
        async with context.write() as session:
            row = await service.update_product(session, product_id, fields, tz=context.settings.tz)
        return ProductType.from_row(row)

    @strawberry.mutation(description="Soft-delete a product: inactive, its history kept.")
    async def delete_product(
        self, info: Info[Context, None], input: DeleteProductInput
    ) -> ProductType:
        context = info.context
        context.require(Permission.WRITE)
        product_id = identifier(input.id, "id")
        async with context.write() as session:
            row = await service.delete_product(session, product_id)
        return ProductType.from_row(row)
