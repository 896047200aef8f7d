"""Syncing registered Google Sheets: the ``sheets-sync`` job, and one sheet's sync as the API
and ``shopx sheets sync`` run it.

A sync is an import with source ``sheet``: :func:`claim` makes its ``imports`` row (one sync
of a sheet at a time), :func:`sync_sheet` fetches the sheet to a temporary file
(:mod:`shopx.sheets.fetch`) and runs it through the same importer as an upload
(:func:`~shopx.jobs.import_file.open_sales`, :func:`~shopx.jobs.import_file.run_import`), so
a sync adds only the rows no earlier import wrote and reports like an import. A sheet that
cannot be fetched ends its import ``failed`` with the reason (the sheet shows it as its
last error); nothing imported before is touched.

The job syncs every sheet, oldest first; one that fails does not stop the others. It takes
up a sync an API request queued for the workers (with a broker) instead of making another,
recomputes the customers' segments once when rows came in (as the ``imports`` job does),
and fails when a sheet failed, naming each (so the failure alert goes out), after all of
them were tried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import IO

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.db.models import Sheet
from shopx.db.writes import bookkeeping_session
from shopx.errors import Conflict, NotFound, ShopXError
from shopx.ingest.load import ImportReport
from shopx.ingest.records import finish_import
from shopx.ingest.rows import RowError
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.import_file import open_sales, run_import
from shopx.jobs.refresh import refresh_segments
from shopx.sheets.fetch import download_csv, export_worksheet
from shopx.sheets.repository import (
    claim_sync,
    get_sheet,
    mark_synced,
    sheet_ids,
    take_queued_sync,
)
from shopx.sheets.sealing import unseal

SYNC_TIMEOUT = 3600.0
"""The job's timeout; a sync queued or running for longer was abandoned (its process
died) and no longer keeps the sheet from syncing again."""
STALE_AFTER = timedelta(seconds=SYNC_TIMEOUT)


class SheetsFailed(ShopXError):
    """Some sheets could not be synced (each recorded on its import)."""


async def claim(engine: AsyncEngine, sheet_id: int, *, queued: bool) -> int:
    """The import id of a new sync of the sheet ``sheet_id``: ``queued`` for a worker to
    take, else ``running`` for the caller to run now. NotFound; Conflict naming the import
    while the sheet is syncing already."""
    async with bookkeeping_session(session_factory(engine)) as session:
        return await claim_sync(
            session,
            sheet_id,
            now=datetime.now(UTC),
            state="queued" if queued else "running",
            stale_after=STALE_AFTER,
        )


async def sync_sheet(
    engine: AsyncEngine,
    settings: Settings,
    sheet_id: int,
    import_id: int,
    *,
    cache: CacheRuntime | None = None,
    progress: Callable[[ImportReport], None] | None = None,
    on_errors: Callable[[list[RowError]], None] | None = None,
) -> ImportReport:
    """Fetch the sheet ``sheet_id`` and import it as the claimed import ``import_id``
    (module doc). A failure ends the import ``failed`` and is raised."""
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            sheet = await get_sheet(session, sheet_id)
        file = await _fetch(settings, sheet)
    except BaseException as exc:
        await finish_import(sessions, import_id, ImportReport(import_id), exc)
        raise
    try:
        opened = await open_sales(
            engine,
            settings,
            file,
            source="sheet",
            file_name=sheet.name,
            date_order=sheet.date_order,
            import_id=import_id,
        )
        report = await run_import(
            engine, settings, opened, cache=cache, progress=progress, on_errors=on_errors
        )
    finally:
        file.close()
    async with bookkeeping_session(sessions) as session:
        await mark_synced(session, sheet_id, datetime.now(UTC))
    return report


async def _fetch(settings: Settings, sheet: Sheet) -> IO[bytes]:
    max_bytes = settings.upload_max_mb * 1024 * 1024
    if sheet.kind == "csv_url":
        assert sheet.csv_url is not None
        return await download_csv(sheet.csv_url, max_bytes=max_bytes)
    assert sheet.sealed_credentials is not None and sheet.spreadsheet_key is not None
    credentials = unseal(settings.jwt_secret(), sheet.sealed_credentials)
    return await asyncio.to_thread(
        export_worksheet,
        credentials,
        sheet.spreadsheet_key,
        sheet.worksheet,
        max_bytes=max_bytes,
    )


async def sheets_sync(ctx: JobContext) -> JobResult:
    """Sync every registered sheet (module doc); rows: rows imported."""
    async with ctx.sessions() as session:
        ids = await sheet_ids(session)
    imported = synced = 0
    busy: list[str] = []
    failed: list[str] = []
    for sheet_id in ids:
        try:
            import_id = await _take_or_claim(ctx, sheet_id)
        except NotFound:
            continue  # removed since the list was read
        except Conflict as exc:
            busy.append(exc.message)
            continue
        try:
            report = await sync_sheet(
                ctx.engine, ctx.settings, sheet_id, import_id, cache=ctx.cache
            )
        except Exception as exc:  # recorded on the import; the next sheet goes on
            failed.append(f"sheet {sheet_id} (import {import_id}): {type(exc).__name__}: {exc}")
            continue
        synced += 1
        imported += report.imported
    parts = [f"{synced} of {len(ids)} sheet(s) synced, {imported} row(s) imported", *busy]
    if imported:
        moved = await refresh_segments(ctx.sessions, ctx.settings, ctx.cache)
        parts.append(f"segments: {moved} customer(s) moved")
    if failed:
        raise SheetsFailed("; ".join([f"{len(failed)} sheet(s) failed", *failed, *parts]))
    return JobResult(imported, "; ".join(parts))


async def _take_or_claim(ctx: JobContext, sheet_id: int) -> int:
    async with bookkeeping_session(ctx.sessions) as session:
        now = datetime.now(UTC)
        taken = await take_queued_sync(session, sheet_id, now=now, stale_after=STALE_AFTER)
        if taken is not None:
            return taken
        return await claim_sync(
            session, sheet_id, now=now, state="running", stale_after=STALE_AFTER
        )
