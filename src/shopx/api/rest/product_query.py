"""The query parameters of the catalog routes: filters, sort and paging, read into the
catalog's :class:`~shopx.catalog.repository.ProductCriteria` and a sort order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Query

from shopx.api.graphql.keyset import SortKey
from shopx.api.graphql.values import cents
from shopx.catalog.repository import ProductCriteria, by_relevance
from shopx.db.models import Product
from shopx.db.search import MAX_CHARS, search_words
from shopx.errors import BadInput

MAX_OFFSET = 10_000
"""Deepest ``offset`` served; past it the answer says to page with ``cursor`` (keyset
pages cost the same at any depth)."""
MAX_LIMIT = 100
BIGINT_MAX = 2**63 - 1


class SortField(StrEnum):
    RELEVANCE = "relevance"
    ID = "id"
    NAME = "name"
    SKU = "sku"
    BRAND = "brand"
    CATEGORY_ID = "category_id"
    SELLING_PRICE = "selling_price"
    COST_PRICE = "cost_price"
    STOCK_QUANTITY = "stock_quantity"
    REORDER_LEVEL = "reorder_level"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


SORT_COLUMNS: dict[SortField, Any] = {
    SortField.ID: Product.id,
    SortField.NAME: Product.name,
    SortField.SKU: Product.sku,
    SortField.BRAND: Product.brand,
    SortField.CATEGORY_ID: Product.category_id,
    SortField.SELLING_PRICE: Product.selling_price_cents,
    SortField.COST_PRICE: Product.cost_price_cents,
    SortField.STOCK_QUANTITY: Product.stock_quantity,
    SortField.REORDER_LEVEL: Product.reorder_level,
    SortField.CREATED_AT: Product.created_at,
    SortField.UPDATED_AT: Product.updated_at,
}


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


def _price(value: Decimal | None, label: str) -> int | None:
    return None if value is None else cents(value, label)


async def product_filters(
    category: Annotated[
        int | None,
        Query(ge=1, le=BIGINT_MAX, description="A category id: it and its subcategories."),
    ] = None,
    brand: Annotated[str | None, Query(max_length=120, description="Exact brand name.")] = None,
    min_price: Annotated[
        Decimal | None, Query(description="Lowest selling price, inclusive (e.g. `10.00`).")
    ] = None,
    max_price: Annotated[
        Decimal | None, Query(description="Highest selling price, inclusive.")
    ] = None,
    in_stock: Annotated[
        bool | None, Query(description="true: stock above zero; false: none left.")
    ] = None,
    include_inactive: Annotated[
        bool, Query(description="Also list deleted (inactive) products.")
    ] = False,
    search: Annotated[
        str | None,
        Query(
            max_length=MAX_CHARS,
            description="Full-text: every word starts a word of the name, SKU, brand or "
            "description (any case and accents), e.g. `acme kett`. Results rank by "
            "relevance (the product whose SKU is the text first) unless `sort_by` says "
            "otherwise.",
        ),
    ] = None,
) -> ProductCriteria:
    """The filters every catalog route takes."""
    if search is not None:
        search_words(search)
    low, high = _price(min_price, "min_price"), _price(max_price, "max_price")
    if low is not None and high is not None and low > high:
        raise BadInput("min_price is above max_price")
    return ProductCriteria(
        category_id=category,
        brand=brand,
        min_price_cents=low,
        max_price_cents=high,
        in_stock=in_stock,
        is_active=None if include_inactive else True,
        words=search,
    )


Filters = Annotated[ProductCriteria, Depends(product_filters)]


@dataclass(frozen=True, slots=True)
class Order:
    """How a list is sorted: by a column (keyset pages possible) or by relevance to a
    search."""

    key: SortKey | None
    search: str | None = None

    def order_by(self) -> list[Any]:
        if self.key is not None:
            return self.key.order_by()
        assert self.search is not None
        return by_relevance(self.search)


async def product_order(
    where: Filters,
    sort_by: Annotated[
        SortField | None,
        Query(description="Default: `relevance` when searching, else `name`."),
    ] = None,
    sort_order: Annotated[
        SortOrder | None,
        Query(description="Default `asc` (`desc` for relevance: best first). Ties by id."),
    ] = None,
) -> Order:
    field = sort_by or (SortField.RELEVANCE if where.words else SortField.NAME)
    if field is SortField.RELEVANCE:
        if not where.words:
            raise BadInput("sort_by: relevance needs a search")
        if sort_order is SortOrder.ASC:
            raise BadInput("sort_order: relevance sorts best first (desc) only")
        return Order(None, where.words)
    descending = sort_order is SortOrder.DESC
    return Order(SortKey(field.value, SORT_COLUMNS[field], descending))


Sorted = Annotated[Order, Depends(product_order)]


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    cursor: str | None
    offset: int | None


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = 20,
    cursor: Annotated[
        str | None,
        Query(max_length=2000, description="`next_cursor` of the page before (any depth)."),
    ] = None,
    offset: Annotated[
        int | None,
        Query(ge=0, le=BIGINT_MAX, description=f"Rows to skip, at most {MAX_OFFSET}."),
    ] = None,
) -> Paging:
    if cursor is not None and offset is not None:
        raise BadInput("give cursor or offset, not both")
    if offset is not None and offset > MAX_OFFSET:
        raise BadInput(
            f"offset: at most {MAX_OFFSET}; page further with `cursor` (each page's "
            "`next_cursor`), which costs the same at any depth"
        )
    return Paging(limit, cursor, offset)


Paged = Annotated[Paging, Depends(paging)]
