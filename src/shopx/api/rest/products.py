"""The product catalog: ``/api/v1/products`` (list), ``/{id}``, ``/stats``, ``/categories``,
``/brands`` and ``/export.csv``.

Every route needs a token that may read analytics (analyst or admin, as the GraphQL
``products`` connection; anyone when anonymous reads are on). Answers are cached like
GraphQL's (a product write shows on the next read everywhere) and carry ETags; the export
streams instead, with an ETag of the data version it was asked at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.api.rest.access import ANALYTICS_REFUSALS, AnalyticsReader, problem
from shopx.api.rest.caching import cached_json, plan
from shopx.api.rest.product_export import EXPORT_EXAMPLE, export_response
from shopx.api.rest.product_models import (
    BrandCountOut,
    BrandList,
    CatalogStats,
    CategoryCountOut,
    CategoryList,
    ProductOut,
    ProductPage,
)
from shopx.api.rest.product_query import (
    BIGINT_MAX,
    MAX_OFFSET,
    Filters,
    Order,
    Paged,
    Paging,
    Sorted,
)
from shopx.auth import Permission, Principal
from shopx.cache.documents import TtlClass
from shopx.cache.tags import PRODUCTS
from shopx.catalog import repository, summary
from shopx.catalog.repository import ProductCriteria
from shopx.db.models import Product
from shopx.errors import BadInput, NotFound

PREFIX = "/api/v1/products"
CATALOG = frozenset({PRODUCTS})

router = APIRouter(
    prefix=PREFIX,
    tags=["products"],
    responses=ANALYTICS_REFUSALS,
    default_response_class=JSONResponse,  # documents the JSON bodies (handlers return Response)
)


def _ok(model: type, what: str) -> dict[int | str, Any]:
    return {200: {"model": model, "description": what}, 304: {"description": "Not modified"}}


@router.get("", response_model=ProductPage, responses=_ok(ProductPage, "One page"))
async def list_products(
    request: Request, caller: AnalyticsReader, where: Filters, order: Sorted, page: Paged
) -> Response:
    """Products matching the filters, sorted, one page at a time, with the `total` of all
    pages. Page by `cursor` (each page's `next_cursor`; any depth at the same cost) or by
    `offset` (up to 10,000; deeper offsets are refused with the cursor offered instead).
    Searches rank by relevance and page by offset."""

    async def read(session: AsyncSession) -> BaseModel:
        return await _page(session, where, order, page)

    return await _cached(request, caller, "GET /api/v1/products", read)


async def _cached(
    request: Request,
    caller: Principal,
    operation: str,
    read: Callable[[AsyncSession], Awaitable[BaseModel]],
) -> Response:
    """The answer ``read`` gives in a read session, through the response cache."""

    async def payload() -> dict[str, Any]:
        async with request.app.state.read_sessions() as session:
            answer = await read(session)
        return answer.model_dump(mode="json")

    route = plan(operation, TtlClass.PRODUCTS, CATALOG)
    return await cached_json(request, route, caller, payload, permission=Permission.ANALYTICS_READ)


async def _page(
    session: AsyncSession, where: ProductCriteria, order: Order, page: Paging
) -> ProductPage:
    clauses = repository.product_clauses(where)
    query = select(Product).where(*clauses).order_by(*order.order_by()).limit(page.limit + 1)
    if page.cursor is not None:
        if order.key is None:
            raise BadInput("cursor: pages ranked by relevance go by offset")
        query = query.where(order.key.after(order.key.position(page.cursor)))
    offset = None if page.cursor is not None else (page.offset or 0)
    if offset:
        query = query.offset(offset)
    rows = (await session.scalars(query)).all()
    total = await session.scalar(select(func.count()).select_from(Product).where(*clauses))
    items = rows[: page.limit]
    more = len(rows) > page.limit
    following = None if offset is None else offset + len(items)
    return ProductPage(
        items=[ProductOut.of(row) for row in items],
        total=int(total or 0),
        limit=page.limit,
        offset=offset,
        next_offset=following
        if more and following is not None and following <= MAX_OFFSET
        else None,
        next_cursor=order.key.cursor(items[-1]) if more and order.key is not None else None,
    )


@router.get("/stats", response_model=CatalogStats, responses=_ok(CatalogStats, "The figures"))
async def product_stats(request: Request, caller: AnalyticsReader, where: Filters) -> Response:
    """Count, selling price min / max / average and stock totals of the products matching
    the filters, overall and per category they are filed under."""

    async def read(session: AsyncSession) -> BaseModel:
        return CatalogStats.of(await summary.catalog_figures(session, where))

    return await _cached(request, caller, "GET /api/v1/products/stats", read)


@router.get(
    "/categories",
    response_model=CategoryList,
    responses=_ok(CategoryList, "Every category"),
)
async def product_categories(request: Request, caller: AnalyticsReader, where: Filters) -> Response:
    """Every category, by name, with how many matching products are filed directly under it
    (zero included)."""

    async def read(session: AsyncSession) -> BaseModel:
        rows = await summary.category_counts(session, where)
        return CategoryList(items=[CategoryCountOut.of(row) for row in rows])

    return await _cached(request, caller, "GET /api/v1/products/categories", read)


@router.get("/brands", response_model=BrandList, responses=_ok(BrandList, "Every brand"))
async def product_brands(request: Request, caller: AnalyticsReader, where: Filters) -> Response:
    """Every brand the matching products carry, by name, with their number."""

    async def read(session: AsyncSession) -> BaseModel:
        rows = await repository.brand_counts(session, where)
        return BrandList(items=[BrandCountOut.of(row) for row in rows])

    return await _cached(request, caller, "GET /api/v1/products/brands", read)


@router.get(
    "/export.csv",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {"example": EXPORT_EXAMPLE}},
            "description": "Every matching product, streamed",
        },
        304: {"description": "Not modified"},
    },
)
async def export_products(
    request: Request, caller: AnalyticsReader, where: Filters, order: Sorted
) -> Response:
    """Every product matching the filters as CSV (UTF-8), in the requested order (by id
    when ranked by relevance), streamed in chunks: any size at constant memory. Cells a
    spreadsheet would run as a formula start with `'`."""
    return await export_response(request, caller, where, order)


@router.get(
    "/{product_id}",
    response_model=ProductOut,
    responses={
        **_ok(ProductOut, "The product"),
        **problem(404, "NOT_FOUND", "no product with id 42", "No such product"),
    },
)
async def get_product(
    request: Request,
    caller: AnalyticsReader,
    product_id: Annotated[int, Path(ge=1, le=BIGINT_MAX, description="The product's id.")],
) -> Response:
    """One product, active or deleted (inactive)."""

    async def read(session: AsyncSession) -> BaseModel:
        row = await session.get(Product, product_id)
        if row is None:
            raise NotFound(f"no product with id {product_id}")
        return ProductOut.of(row)

    return await _cached(request, caller, "GET /api/v1/products/{id}", read)
