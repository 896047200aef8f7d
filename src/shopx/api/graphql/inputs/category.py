"""Inputs of the category mutations, validated field by field."""

from __future__ import annotations

import strawberry

from shopx.api.graphql.values import Field, identifier, text

CATEGORY_FIELDS = (
    Field("name", "name", text(120)),
    Field("parent_id", "parent_id", identifier, nullable=True),
)


@strawberry.input(
    description=(
        "A category; parentId must name a top-level category. The name is stored in Unicode "
        "NFC and may not hold control characters."
    )
)
class CreateCategoryInput:
    name: str
    parent_id: strawberry.ID | None = None


@strawberry.input(description="Fields left out stay as they are; parentId null makes it top-level.")
class UpdateCategoryInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    parent_id: strawberry.ID | None = strawberry.UNSET
