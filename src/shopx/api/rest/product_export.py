"""``/api/v1/products/export.csv``: the filtered catalog as CSV, streamed.

Rows are read a chunk at a time, each chunk by keyset after the last row of the one before
in a short session of its own, so memory stays constant and no connection is held while
the client reads. The ETag is the data version the export was asked at (with the request):
an export repeated with no write in between is the same file.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import AsyncIterator, Sequence

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select

from shopx.analytics.metrics import money
from shopx.api.graphql.keyset import Position, SortKey
from shopx.api.rest.caching import PRIVATE, answering
from shopx.api.rest.product_query import Order
from shopx.auth import Principal
from shopx.catalog.repository import ProductCriteria, product_clauses
from shopx.db.models import Product
from shopx.reports.render import csv_cell

CHUNK = 1000
OPERATION = "GET /api/v1/products/export.csv"
HEADER = (
    "id",
    "sku",
    "name",
    "brand",
    "category_id",
    "cost_price",
    "selling_price",
    "stock_quantity",
    "reorder_level",
    "is_active",
    "description",
    "created_at",
    "updated_at",
)


EXAMPLE_LINE = (
    42,
    "SKU-000042",
    "Acme Compact Kettle",
    "Acme",
    7,
    "12.40",
    "24.99",
    130,
    10,
    "true",
    "Compact kettle by Acme, in Kitchen.",
    "2026-01-05T09:30:00+00:00",
    "2026-11-20T15:30:00+00:00",
)


def _line(row: Product) -> list[object]:
    return [
        row.id,
        row.sku,
        row.name,
        row.brand,
        row.category_id,
        money(row.cost_price_cents),
        money(row.selling_price_cents),
        row.stock_quantity,
        row.reorder_level,
        "true" if row.is_active else "false",
        row.description,
        row.created_at.isoformat(),
        row.updated_at.isoformat(),
    ]


def csv_text(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


EXPORT_EXAMPLE = csv_text([HEADER, EXAMPLE_LINE])
"""What the OpenAPI shows."""


async def export_rows(
    request: Request, where: ProductCriteria, key: SortKey
) -> AsyncIterator[bytes]:
    """The CSV, a chunk of rows at a time."""
    sessions = request.app.state.read_sessions
    yield csv_text([HEADER]).encode()
    query = select(Product).where(*product_clauses(where)).order_by(*key.order_by())
    after = None
    while True:
        chunk = query if after is None else query.where(key.after(after))
        with answering(OPERATION):
            async with sessions() as session:
                rows = (await session.scalars(chunk.limit(CHUNK))).all()
                lines = [_line(row) for row in rows]
        if not rows:
            return
        yield csv_text(lines).encode()
        if len(rows) < CHUNK:
            return
        after = Position(getattr(rows[-1], key.column.key), rows[-1].id)


async def export_response(
    request: Request, caller: Principal, where: ProductCriteria, order: Order
) -> Response:
    key = order.key or SortKey("id", Product.id)
    state = request.app.state
    with answering(OPERATION):
        version = await state.cache.freshness.counter()
    asked = repr((sorted(request.query_params.multi_items()), caller.visibility, version))
    etag = f'W/"{hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()}"'
    headers = {
        "etag": etag,
        "cache-control": PRIVATE,
        "content-disposition": 'attachment; filename="products.csv"',
    }
    wanted = request.headers.get("if-none-match", "")
    if etag in {part.strip() for part in wanted.split(",")}:
        return Response(status_code=304, headers=headers)
    return StreamingResponse(
        export_rows(request, where, key), media_type="text/csv; charset=utf-8", headers=headers
    )
