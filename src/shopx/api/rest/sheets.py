"""Google Sheets registered for sync (``/api/v1/admin/connect-sheets``, ``/api/v1/sheets``).

A sheet is registered by its CSV export URL (a public or link-shared sheet; a Google Sheets
page URL is turned into its export URL), or by spreadsheet and worksheet with a service
account's JSON (a private sheet; needs the ``sheets`` extra, gspread). The credentials are
stored sealed and never answered. Registering asks the server to fetch a URL later: only
admins may, only http(s) is fetched, and each fetch is bounded in size and time
(:mod:`shopx.sheets.fetch`).

Each sync is an import (source ``sheet``): the ``sheets-sync`` job syncs every sheet on its
schedule, ``POST /api/v1/sheets/{id}/sync`` one now. That answers 202 with the import to
follow at ``GET /api/v1/imports/{id}``: without a broker it runs as a task of this process
(like a large upload: stopping the process ends it ``failed``, its committed batches kept);
with a broker the ``sheets-sync`` job is sent and takes up that import.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from shopx.api.auth_routes import ANY_REFUSAL
from shopx.api.responses import OrjsonResponse
from shopx.api.rest.access import ANALYTICS_REFUSALS, AnalyticsReader, problem, writer
from shopx.auth import Permission, Principal, permissions_of
from shopx.db.engine import session_factory
from shopx.db.writes import bookkeeping_session
from shopx.errors import NotFound
from shopx.jobs.dispatch import enqueue
from shopx.jobs.sheets_sync import claim, sync_sheet
from shopx.sheets.locations import shown_to_readers
from shopx.sheets.repository import add_sheet, delete_sheet, sheets_with_last_import
from shopx.sheets.service import SheetRequest, SheetStatus, new_sheet

router = APIRouter(tags=["sheets"], default_response_class=JSONResponse)
Writer = Annotated[Principal, Depends(writer)]


class ConnectSheet(BaseModel):
    """A public or link-shared sheet by ``csv_url``; a private one by ``spreadsheet`` with
    ``service_account`` (and ``worksheet``, the first when null)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    csv_url: str | None = Field(None, max_length=2000, description="Any http(s) URL of CSV.")
    spreadsheet: str | None = Field(None, max_length=2000, description="Its URL or key.")
    worksheet: str | None = Field(None, max_length=200)
    service_account: dict[str, Any] | None = Field(
        None, description="The service account's JSON key; stored sealed, never answered."
    )
    date_order: Literal["DMY", "MDY"] | None = Field(
        None, description="For a sheet whose dates never show whether the day comes first."
    )


class LastReport(BaseModel):
    rows_read: int
    imported: int
    skipped_duplicate: int
    failed: int


class SheetOut(BaseModel):
    id: int
    name: str
    kind: Literal["csv_url", "service_account"]
    source: str = Field(description="The URL fetched, or the spreadsheet key and worksheet.")
    date_order: Literal["DMY", "MDY"] | None
    created_at: datetime
    last_synced_at: datetime | None = Field(description="When a sync last succeeded.")
    last_import_id: int | None
    last_state: Literal["never", "queued", "running", "succeeded", "failed"]
    last_error: str | None
    last_report: LastReport | None


class SheetList(BaseModel):
    sheets: list[SheetOut]


class SyncStarted(BaseModel):
    sheet: SheetOut
    import_id: int = Field(description="Follow it at GET /api/v1/imports/{import_id}.")


EXAMPLE_URL = "https://docs.google.com/spreadsheets/d/1AbC-dEf/export?format=csv&gid=0"
EXAMPLE = {
    "id": 1,
    "name": "Store sales",
    "kind": "csv_url",
    "source": EXAMPLE_URL,
    "date_order": None,
    "created_at": "2026-11-30T10:00:00Z",
    "last_synced_at": "2026-11-30T11:00:02Z",
    "last_import_id": 12,
    "last_state": "succeeded",
    "last_error": None,
    "last_report": {"rows_read": 120, "imported": 4, "skipped_duplicate": 116, "failed": 0},
}
NO_SHEET = problem(404, "NOT_FOUND", "no sheet 7", "No such sheet")
WRITE_REFUSALS: dict[int | str, dict[str, Any]] = {
    **problem(
        400,
        "BAD_USER_INPUT",
        "csv_url must be an http or https URL, not 'ftp://example.com/sales.csv'",
        "Not a sheet that can be registered",
    ),
    **problem(401, "UNAUTHENTICATED", "a bearer token is required", "No valid bearer token"),
    **problem(403, "FORBIDDEN", "this needs the write permission", "Not an admin token"),
    **problem(429, "RATE_LIMIT_EXCEEDED", "too many requests; retry later", "Rate limited"),
    **problem(503, "SERVICE_UNAVAILABLE", "the database did not answer; retry later", "Busy"),
    **ANY_REFUSAL,
}


@router.post(
    "/api/v1/admin/connect-sheets",
    summary="Register a Google Sheet for sync",
    description=(
        "A public or link-shared sheet by `csv_url` (a Google Sheets page URL is turned "
        "into its CSV export URL), or a private one by `spreadsheet` (URL or key), "
        "`worksheet` and `service_account` (needs `pip install 'shopx[sheets]'`). The sheet "
        "syncs with the `sheets-sync` job and on `POST /api/v1/sheets/{id}/sync`. Admins only."
    ),
    status_code=201,
    response_model=SheetOut,
    responses={
        201: {"content": {"application/json": {"example": {**EXAMPLE, "last_state": "never"}}}},
        **WRITE_REFUSALS,
        **problem(409, "CONFLICT", f"this sheet is registered already: {EXAMPLE_URL}", "Twice"),
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "shared": {"value": {"name": "Store sales", "csv_url": EXAMPLE_URL}},
                        "private": {
                            "value": {
                                "name": "Private sales",
                                "spreadsheet": "1AbC-dEf",
                                "worksheet": "Sheet1",
                                "service_account": {"type": "service_account", "...": "..."},
                            }
                        },
                    }
                }
            }
        }
    },
)
async def connect_sheet(request: Request, body: ConnectSheet, _caller: Writer) -> Response:
    state = request.app.state
    sheet = new_sheet(SheetRequest(**body.model_dump()), state.secret)
    async with bookkeeping_session(session_factory(state.engine)) as session:
        await add_sheet(session, sheet)
        sheet_id = sheet.id
    return _answer(await _status(request, sheet_id), 201)


@router.get(
    "/api/v1/sheets",
    summary="The registered Google Sheets",
    description="Newest first, each with its last sync's state, counts and error. "
    "Admins and analysts; analysts see a shared sheet's URL as its host only (the URL "
    "opens the sheet).",
    response_model=SheetList,
    responses={
        200: {"content": {"application/json": {"example": {"sheets": [EXAMPLE]}}}},
        **ANALYTICS_REFUSALS,
    },
)
async def list_sheets(request: Request, caller: AnalyticsReader) -> Response:
    async with session_factory(request.app.state.engine)() as session:
        rows = await sheets_with_last_import(session)
    sheets = [SheetStatus.of(*row) for row in rows]
    if Permission.WRITE not in permissions_of(caller, anonymous_reads=False):
        sheets = [replace(s, source=shown_to_readers(s.source, s.kind)) for s in sheets]
    return _answer({"sheets": [_shown(sheet) for sheet in sheets]}, 200)


@router.delete(
    "/api/v1/sheets/{sheet_id}",
    summary="Stop syncing a Google Sheet",
    description="The sheet is forgotten; the rows its syncs imported stay. Admins only.",
    status_code=204,
    response_class=Response,
    responses={**WRITE_REFUSALS, **NO_SHEET},
)
async def remove_sheet(request: Request, sheet_id: int, _caller: Writer) -> Response:
    async with bookkeeping_session(session_factory(request.app.state.engine)) as session:
        await delete_sheet(session, sheet_id, now=datetime.now(UTC))
    return Response(status_code=204)


@router.post(
    "/api/v1/sheets/{sheet_id}/sync",
    summary="Sync a Google Sheet now",
    description=(
        "Fetch the sheet and import its new rows; 202 with the import to follow at "
        "`GET /api/v1/imports/{import_id}` (source `sheet`). 409 while the sheet is "
        "syncing already. Admins only."
    ),
    status_code=202,
    response_model=SyncStarted,
    responses={
        202: {
            "content": {
                "application/json": {
                    "example": {
                        "sheet": {**EXAMPLE, "last_state": "running", "last_report": None},
                        "import_id": 13,
                    }
                }
            }
        },
        **WRITE_REFUSALS,
        **NO_SHEET,
        **problem(409, "CONFLICT", "sheet 1 is syncing already: import 12", "Syncing"),
    },
)
async def sync_now(request: Request, sheet_id: int, _caller: Writer) -> Response:
    state = request.app.state
    settings, engine = state.settings, state.engine
    workers = bool(settings.broker_url)
    import_id = await claim(engine, sheet_id, queued=workers)
    if workers:
        # A broker that cannot take the run leaves the sync queued: the schedule takes it up.
        await enqueue("sheets-sync", "event", engine, settings)
    else:
        syncing = sync_sheet(engine, settings, sheet_id, import_id, cache=state.cache)
        state.background_imports.start(engine, settings, import_id, syncing, cache=state.cache)
    return _answer({"sheet": await _status(request, sheet_id), "import_id": import_id}, 202)


async def _status(request: Request, sheet_id: int) -> dict[str, Any]:
    async with session_factory(request.app.state.engine)() as session:
        rows = await sheets_with_last_import(session, sheet_id)
    if not rows:
        raise NotFound(f"no sheet {sheet_id}")
    return _shown(SheetStatus.of(*rows[0]))


def _shown(status: SheetStatus) -> dict[str, Any]:
    return SheetOut.model_validate(status, from_attributes=True).model_dump(mode="json")


def _answer(body: dict[str, Any], status: int) -> Response:
    return OrjsonResponse(body, status_code=status, headers={"cache-control": "no-store"})
