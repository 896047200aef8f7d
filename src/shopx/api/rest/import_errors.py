"""``GET /api/v1/imports/{id}/errors.csv``: every row error of an import, as CSV, streamed.

The errors are those of ``import_errors`` (all of them; the import's report holds the first
100), in file order, as ``line,column,value,reason`` with the csv module's quoting (a value
with commas, quotes or newlines reads back as it was) and a cell that a spreadsheet would
take for a formula kept as text (:func:`shopx.reports.render.csv_cell`). They are read a
chunk at a time, each by keyset after the last of the one before in a short session of its
own, so memory stays constant and no connection is held while the client reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from shopx.api.rest.access import READ_REFUSALS, AnalyticsReader, problem
from shopx.api.rest.caching import answering
from shopx.api.rest.product_export import csv_text
from shopx.errors import NotFound
from shopx.ingest.records import error_rows, read_import
from shopx.jobs.import_file import ERROR_COLUMNS

CHUNK = 5_000
OPERATION = "GET /api/v1/imports/{id}/errors.csv"
EXAMPLE = csv_text(
    [
        ERROR_COLUMNS,
        (17, "amount", "12,3x", "not a number"),
        (42, "date", '=HYPERLINK("x")', "not a date"),
        (43, None, None, "more values than the header has columns"),
    ]
)

router = APIRouter(tags=["imports"])


def errors_path(import_id: int) -> str:
    """Where the row errors of the import ``import_id`` are downloaded."""
    return f"/api/v1/imports/{import_id}/errors.csv"


@router.get(
    "/api/v1/imports/{import_id}/errors.csv",
    summary="Every row error of an import, as CSV",
    description=(
        "All the row errors of the import (its report keeps the first 100), in file order, "
        "as CSV with the header `line,column,value,reason`: `line` is the physical line in "
        "the file (1 is the header's first), `column` the contract's column name (empty for "
        "the whole line). Streamed; a cell starting like a spreadsheet formula gets a "
        "leading `'`. A dry run's errors are there too; a running import's are those of its "
        "committed batches. Admins and analysts."
    ),
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The errors, as an attachment `import-<id>-errors.csv`",
            "content": {"text/csv": {"example": EXAMPLE}},
        },
        **READ_REFUSALS,
        **problem(403, "FORBIDDEN", "this needs the analytics:read permission", "Viewer token"),
        **problem(404, "NOT_FOUND", "no import 7", "No such import"),
    },
)
async def import_errors_csv(request: Request, import_id: int, _caller: AnalyticsReader) -> Response:
    engine = request.app.state.engine
    with answering(OPERATION):
        found = await read_import(engine, import_id)
    if found is None:
        raise NotFound(f"no import {import_id}")
    headers = {
        "cache-control": "no-store",
        "content-disposition": f'attachment; filename="import-{import_id}-errors.csv"',
    }
    return StreamingResponse(
        _lines(request, import_id), media_type="text/csv; charset=utf-8", headers=headers
    )


async def _lines(request: Request, import_id: int) -> AsyncIterator[bytes]:
    engine = request.app.state.engine
    yield csv_text([ERROR_COLUMNS]).encode()
    after = None
    while True:
        with answering(OPERATION):
            rows = await error_rows(engine, import_id, after, CHUNK)
        if not rows:
            return
        yield csv_text([(e.line, e.column, e.value, e.reason) for e in rows]).encode()
        if len(rows) < CHUNK:
            return
        after = (rows[-1].line, rows[-1].id)
