"""The ``imports`` job: uploads handed to the workers when a broker is configured.

With ``SHOPX_BROKER_URL`` set, the upload route settles a large file, creates its ``queued``
import row, stores the file as ``data_dir/imports/<id>.csv`` with its options in ``<id>.json``
(:func:`store_upload`) and sends a run of this job (trigger ``event``). The job imports every
queued upload whose file is there, oldest first, each claimed by one update (``queued`` ->
``running``) so that two workers never import one file twice, and removes the file once the
import ended. Workers must therefore share ``data_dir/imports`` with the API processes (one
machine, or a shared volume).

Once its uploads are in, the job recomputes the customers' segments itself, as the
``segments`` job would (the entry points follow an import with that job; a job in the registry
cannot send another). Its schedule (every 10 minutes) catches up uploads whose run never
reached a worker (the broker was down when the upload came in). A worker killed in the middle
of an import leaves its row ``running`` (or ``failed`` as interrupted, once
:mod:`shopx.ingest.interrupted` closed it) and its file in place: the run delivered again
(acks late), or the next scheduled run, takes it over and imports the file again, the rows
already imported skipped. Only a run of this job imports stored files, and the runner lets
one run of it go at a time, so a stored file whose import did not end is never one another
run is still importing. An import the job's timeout stops ends ``failed`` with its committed
batches (its file removed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import select, update

from shopx.config import Settings
from shopx.db.models import Import
from shopx.db.writes import bookkeeping_session
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.import_file import open_sales, run_import
from shopx.jobs.refresh import refresh_segments

UNFINISHED = ("queued", "running", "failed")
"""The states of an upload whose stored file is still there to import (module doc)."""


def upload_folder(settings: Settings) -> Path:
    return settings.data_dir / "imports"


def store_upload(
    settings: Settings, import_id: int, part: Path, *, dry_run: bool, date_order: str | None
) -> Path:
    """Move the received file ``part`` (in :func:`upload_folder`) to where the job finds
    the import ``import_id``, its options beside it (written first: a file without its
    options is never picked up)."""
    folder = upload_folder(settings)
    options = {"dry_run": dry_run, "date_order": date_order}
    (folder / f"{import_id}.json").write_text(json.dumps(options))
    target = folder / f"{import_id}.csv"
    os.replace(part, target)
    return target


async def import_uploads(ctx: JobContext) -> JobResult:
    """Import the queued uploads stored for the workers; rows: rows imported."""
    folder = upload_folder(ctx.settings)
    async with ctx.sessions() as session:
        queued = (
            await session.scalars(
                select(Import.id)
                .where(Import.state.in_(UNFINISHED), Import.source == "upload")
                .order_by(Import.id)
            )
        ).all()
    imported = done = 0
    failed: list[str] = []
    segments_due = False
    for import_id in queued:
        file, options = folder / f"{import_id}.csv", folder / f"{import_id}.json"
        if not (file.exists() and options.exists()):
            continue  # an upload imported by its API process, one not stored yet, or one done
        if not await _claim(ctx, import_id):
            continue
        wanted = json.loads(options.read_text())
        try:
            opened = await open_sales(
                ctx.engine,
                ctx.settings,
                file,
                source="upload",
                file_name=None,
                date_order=wanted.get("date_order"),
                import_id=import_id,
            )
            dry_run = bool(wanted.get("dry_run"))
            report = await run_import(
                ctx.engine, ctx.settings, opened, dry_run=dry_run, cache=ctx.cache
            )
        except Exception as exc:  # recorded on the import row; the next upload goes on
            failed.append(f"import {import_id}: {type(exc).__name__}: {exc}")
            continue
        finally:
            file.unlink(missing_ok=True)
            options.unlink(missing_ok=True)
        imported += report.imported
        done += 1
        segments_due = segments_due or (report.imported > 0 and not report.dry_run)
    detail = "; ".join([f"{done} upload(s) imported", *failed])
    if segments_due:
        moved = await refresh_segments(ctx.sessions, ctx.settings, ctx.cache)
        detail += f"; segments: {moved} customer(s) moved"
    return JobResult(imported, detail)


async def _claim(ctx: JobContext, import_id: int) -> bool:
    async with bookkeeping_session(ctx.sessions) as session:
        claimed = await session.execute(
            update(Import)
            .where(Import.id == import_id, Import.state.in_(UNFINISHED))
            .values(state="running")
        )
        return claimed.rowcount == 1
