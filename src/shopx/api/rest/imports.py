"""``POST /api/v1/upload/csv`` and ``GET /api/v1/imports/{id}``: sales files in over HTTP.

An upload is a multipart body with the file in the field ``file`` (optional form fields
``date_order`` = DMY/MDY and ``dry_run``; ``?dry_run=true`` works too). Its body limit is
``SHOPX_UPLOAD_MAX_MB`` (the edge's :class:`~shopx.api.body_limit.BodyLimitMiddleware`
counts it as it streams: past it 413 at once), not ``SHOPX_MAX_BODY_BYTES``. The multipart
parser spools the file to a temporary file (1 MiB in memory at most), so the body is never
held in memory. The file is then settled before anything is answered: a file that cannot
be imported is 400 with the reason (``"needs": "date_order"`` when the file never shows
whether the day or the month comes first).

A file up to ``SHOPX_UPLOAD_SYNC_BYTES`` is imported in the request: 200 with the finished
import. A larger one answers 202 with the queued import, whose progress
``GET /api/v1/imports/{id}`` (and GraphQL ``imports``) shows. Without a broker it is copied
to a file without a name under ``data_dir/imports/`` (gone when the import ends, or the
process, however it ends) and imported by a task of this API process: stopping the process
cancels it (the import ends ``failed``, its committed batches kept; uploading the file again
completes it without duplicates). With a broker it is stored for the ``imports`` job
(:mod:`shopx.jobs.upload_imports`), which a worker runs.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, computed_field
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect

from shopx.api.auth_routes import ANY_REFUSAL
from shopx.api.responses import OrjsonResponse
from shopx.api.rest.access import READ_REFUSALS, AnalyticsReader, problem, writer
from shopx.api.rest.import_errors import errors_path
from shopx.auth import Principal
from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Import
from shopx.errors import BadInput, NotFound
from shopx.ingest.interrupted import committed_report, read_current_import
from shopx.ingest.load import ImportReport
from shopx.ingest.records import finish_import, read_import
from shopx.jobs.dispatch import enqueue
from shopx.jobs.import_file import open_sales, run_import
from shopx.jobs.imports import follow_import
from shopx.jobs.upload_imports import store_upload, upload_folder

UPLOAD_PATH = "/api/v1/upload/csv"
log = logging.getLogger(__name__)
router = APIRouter(tags=["imports"], default_response_class=JSONResponse)


class RowErrorOut(BaseModel):
    line: int = Field(description="Physical line in the file (1 is the header's first).")
    column: str | None = Field(description="The contract's column name; null for the line.")
    value: str | None
    reason: str


class Report(BaseModel):
    import_id: int | None
    dry_run: bool
    rows_read: int
    imported: int
    skipped_duplicate: int = Field(description="Rows an earlier import already wrote.")
    failed: int = Field(description="Rows with at least one error (the good ones are kept).")
    orders_created: int
    orders_extended: int = Field(description="Orders an earlier import made that got lines.")
    created: dict[str, int] = Field(description="New products, categories, customers, reps.")
    batches: int
    errors: list[RowErrorOut] = Field(description="The first 100 row errors, in file order.")


class ImportStatus(BaseModel):
    id: int
    source: Literal["upload", "cli", "sheet"]
    file_name: str | None
    state: Literal["queued", "running", "succeeded", "failed"]
    dry_run: bool
    rows_read: int
    rows_imported: int
    rows_skipped: int
    rows_failed: int
    percent: float = Field(description="How far through the file the committed batches are.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    report: Report | None = Field(description="Once the import ended (failed: what it did).")
    error: str | None = Field(description="Why a failed import stopped.")

    @computed_field(description="Every row error of the import, as CSV (`GET`).")
    @property
    def errors_url(self) -> str:
        return errors_path(self.id)

    @classmethod
    def of(cls, row: Import) -> ImportStatus:
        return cls.model_validate(row, from_attributes=True)


EXAMPLE_REPORT = {
    "import_id": 7,
    "dry_run": False,
    "rows_read": 1200,
    "imported": 1195,
    "skipped_duplicate": 0,
    "failed": 5,
    "orders_created": 410,
    "orders_extended": 0,
    "created": {"products": 12, "categories": 3, "customers": 97, "reps": 4},
    "batches": 1,
    "errors": [{"line": 17, "column": "amount", "value": "12,3x", "reason": "not a number"}],
}
EXAMPLE = {
    "id": 7,
    "source": "upload",
    "file_name": "sales-2026-11.csv",
    "state": "succeeded",
    "dry_run": False,
    "rows_read": 1200,
    "rows_imported": 1195,
    "rows_skipped": 0,
    "rows_failed": 5,
    "percent": 100.0,
    "created_at": "2026-11-30T09:00:00Z",
    "started_at": "2026-11-30T09:00:00Z",
    "finished_at": "2026-11-30T09:00:01Z",
    "report": EXAMPLE_REPORT,
    "error": None,
    "errors_url": "/api/v1/imports/7/errors.csv",
}
QUEUED = {
    **EXAMPLE,
    "state": "queued",
    "rows_read": 0,
    "rows_imported": 0,
    "rows_failed": 0,
    "percent": 0.0,
    "started_at": None,
    "finished_at": None,
    "report": None,
}
WRITE_REFUSALS: dict[int | str, dict[str, Any]] = {
    **problem(
        400,
        "BAD_USER_INPUT",
        "the dates never show whether the day or the month comes first, and some could be "
        "either (like 01/02/2024); give the date order, DMY or MDY",
        "The file cannot be imported (`needs`: `date_order` when a date order is wanted)",
    ),
    **problem(401, "UNAUTHENTICATED", "a bearer token is required", "No valid bearer token"),
    **problem(403, "FORBIDDEN", "this needs the write permission", "Not an admin token"),
    **problem(
        413,
        "PAYLOAD_TOO_LARGE",
        "the request body is larger than the limit of 209715200 bytes",
        "Over SHOPX_UPLOAD_MAX_MB",
    ),
    **problem(429, "RATE_LIMIT_EXCEEDED", "too many requests; retry later", "Rate limited"),
    **problem(503, "SERVICE_UNAVAILABLE", "the database did not answer; retry later", "Busy"),
    **ANY_REFUSAL,
}


class BackgroundImports:
    """The imports this process runs in the background; cancelled when it stops. An import
    whose task ended without recording its end (cancelled before it started, or before the
    importer could write its record) is recorded ``failed`` here, with the counts of its
    committed batches."""

    def __init__(self) -> None:
        self._tasks: dict[asyncio.Task[None], tuple[AsyncEngine, int]] = {}

    def start(
        self,
        engine: AsyncEngine,
        settings: Settings,
        import_id: int,
        importing: Coroutine[Any, Any, ImportReport],
        *,
        cache: CacheRuntime,
        cleanup: Callable[[], None] | None = None,
    ) -> None:
        """Run ``importing`` (the import ``import_id``), then what follows an import, as a
        task of this process; ``cleanup`` once it ended, however it ended."""

        async def work() -> None:
            try:
                report = await importing
                await follow_import(engine, settings, report, cache=cache)
            except asyncio.CancelledError:
                raise
            except Exception:  # recorded on the import row by the importer
                log.exception("background import %s failed", import_id)
            finally:
                importing.close()  # never started when cancelled first; a no-op otherwise
                if cleanup is not None:
                    cleanup()

        task = asyncio.create_task(work())
        self._tasks[task] = (engine, import_id)
        task.add_done_callback(lambda done: self._tasks.pop(done, None))

    async def stop(self) -> None:
        running = dict(self._tasks)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        for engine, import_id in running.values():
            row = await read_import(engine, import_id)
            if row is None or row.state not in ("queued", "running"):
                continue
            committed = committed_report(row)
            stopped = asyncio.CancelledError("the API process stopped during the import")
            await finish_import(session_factory(engine), import_id, committed, stopped)


def _multipart() -> dict[str, Any]:
    schema = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "The sales file."},
            "date_order": {"type": "string", "enum": ["DMY", "MDY"]},
            "dry_run": {"type": "boolean", "default": False},
        },
    }
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


@router.post(
    UPLOAD_PATH,
    summary="Import a sales CSV",
    description=(
        "Multipart upload of a sales file (docs/csv-import.md): field `file`, optional "
        "`date_order` (DMY or MDY) and `dry_run` (also `?dry_run=true`: parse and validate "
        "everything, report what would happen, write nothing). A file up to "
        "SHOPX_UPLOAD_SYNC_BYTES is imported at once (200 with the finished import); a larger "
        "one answers 202 with the queued import, followed at `GET /api/v1/imports/{id}`. "
        "Admins only; the body may be up to SHOPX_UPLOAD_MAX_MB."
    ),
    openapi_extra=_multipart(),
    responses={
        200: {"model": ImportStatus, "content": {"application/json": {"example": EXAMPLE}}},
        202: {
            "model": ImportStatus,
            "description": "Queued: follow it at the `Location` given",
            "content": {"application/json": {"example": QUEUED}},
        },
        **WRITE_REFUSALS,
    },
    response_model=None,
)
async def upload_csv(
    request: Request,
    _caller: Annotated[Principal, Depends(writer)],
    dry_run: bool = False,
) -> Response:
    state = request.app.state
    settings, engine = state.settings, state.engine
    try:
        form = await request.form(max_files=1, max_fields=4)
    except ClientDisconnect:
        raise  # past the body limit: the edge answers 413
    except Exception as exc:  # python-multipart's and Starlette's refusals of a malformed body
        raise BadInput(f"the body is not a multipart form: {exc}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise BadInput("the form has no file field `file`")
    dry_run = dry_run or _flag(form.get("dry_run"))
    date_order = form.get("date_order")
    date_order = date_order.strip() if isinstance(date_order, str) and date_order.strip() else None
    name = Path(upload.filename or "upload.csv").name[:255]
    size = upload.size or 0
    background = size > settings.upload_sync_bytes
    if background and settings.broker_url:
        return await _to_workers(request, upload, name, dry_run=dry_run, date_order=date_order)
    file: BinaryIO = upload.file
    if background:
        file = await asyncio.to_thread(_keep, upload, upload_folder(settings))
    try:
        opened = await open_sales(
            engine, settings, file, source="upload", file_name=name, date_order=date_order
        )
    except BadInput as exc:
        file.close()
        return _refusal(exc)
    except BaseException:
        file.close()
        raise
    cache = state.cache
    if not background:
        try:
            report = await run_import(engine, settings, opened, dry_run=dry_run, cache=cache)
        except BadInput as exc:
            return _refusal(exc)
        await follow_import(engine, settings, report, cache=cache)
        return _status(await _stored(request, opened.import_id), 200)

    importing = run_import(engine, settings, opened, dry_run=dry_run, cache=cache)
    state.background_imports.start(
        engine, settings, opened.import_id, importing, cache=cache, cleanup=file.close
    )
    return await _accepted(request, opened.import_id)


async def _to_workers(
    request: Request, upload: UploadFile, name: str, *, dry_run: bool, date_order: str | None
) -> Response:
    """A large upload with a broker: settled here, stored for the ``imports`` job, sent."""
    state = request.app.state
    settings, engine = state.settings, state.engine
    folder = upload_folder(settings)
    part = folder / f".upload-{uuid.uuid4().hex}.part"
    await asyncio.to_thread(_copy, upload, part)
    try:
        opened = await open_sales(
            engine, settings, part, source="upload", file_name=name, date_order=date_order
        )
        opened.parsed.close()
        await asyncio.to_thread(
            store_upload, settings, opened.import_id, part, dry_run=dry_run, date_order=date_order
        )
    except BadInput as exc:
        return _refusal(exc)
    finally:
        part.unlink(missing_ok=True)
    # A broker that cannot take the run leaves the import queued: the job's schedule
    # catches it up.
    await enqueue("imports", "event", engine, settings)
    return await _accepted(request, opened.import_id)


@router.get(
    "/api/v1/imports/{import_id}",
    summary="An import's state, progress and report",
    description=(
        "State (queued, running, succeeded, failed), the rows read, imported, skipped as "
        "already imported and failed so far (those of the committed batches), percent, and "
        "once it ended its report with the first row errors. Admins and analysts."
    ),
    response_model=ImportStatus,
    responses={
        200: {"content": {"application/json": {"example": EXAMPLE}}},
        **READ_REFUSALS,
        **problem(403, "FORBIDDEN", "this needs the analytics:read permission", "Viewer token"),
        **problem(404, "NOT_FOUND", "no import 7", "No such import"),
    },
)
async def import_status(request: Request, import_id: int, _caller: AnalyticsReader) -> Response:
    return _status(await _stored(request, import_id), 200)


async def _stored(request: Request, import_id: int) -> Import:
    row = await read_current_import(request.app.state.engine, import_id)
    if row is None:
        raise NotFound(f"no import {import_id}")
    return row


async def _accepted(request: Request, import_id: int) -> Response:
    """202 with the import as it stands, and where to follow it."""
    response = _status(await _stored(request, import_id), 202)
    response.headers["location"] = f"/api/v1/imports/{import_id}"
    return response


def _status(row: Import, status: int) -> Response:
    body = ImportStatus.of(row).model_dump(mode="json")
    return OrjsonResponse(body, status_code=status, headers={"cache-control": "no-store"})


def _refusal(exc: BadInput) -> Response:
    body: dict[str, Any] = {"error": exc.code, "detail": exc.message}
    if isinstance(exc.detail, dict):
        body.update({key: value for key, value in exc.detail.items() if key not in body})
    return OrjsonResponse(body, status_code=exc.status)


def _flag(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on")


def _copy(upload: UploadFile, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    upload.file.seek(0)
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, 1 << 20)


def _keep(upload: UploadFile, folder: Path) -> BinaryIO:
    """A copy of the upload that outlives the request: a file without a name in ``folder``
    (the system removes it once closed, or when the process ends however it ends)."""
    folder.mkdir(parents=True, exist_ok=True)
    kept = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed when the import ends)
    upload.file.seek(0)
    shutil.copyfileobj(upload.file, kept, 1 << 20)
    kept.seek(0)
    return kept
