"""Imports whose process died: closed ``failed`` once their heartbeat has been silent too long.

A ``running`` import writes its heartbeat (``imports.updated_at``) when it starts and with
every committed batch (:func:`shopx.ingest.records.write_progress`). A batch of
``SHOPX_IMPORT_BATCH_ROWS`` commits within seconds, so a real import silent for
:data:`SILENCE` (ten minutes: room for a batch waiting its writers' turn behind a long job)
lost its process: ``shopx serve`` or ``shopx import`` killed, a machine gone. A dry run is
one transaction rolled back at the end, so it beats only when it starts: it counts as
interrupted after :data:`DRY_RUN_SILENCE`, the ``imports`` job's timeout (an hour: a
hundred times the importer's million rows in 30 s). ``queued`` imports are never closed
here: one may wait for a Celery worker as long as the broker keeps it.

:func:`close_interrupted` closes them ``failed`` with :data:`INTERRUPTED` and the report of
their committed batches; the job schedulers call it at every tick (next to the job runs'
:func:`shopx.jobs.scheduler.close_abandoned`), and reading an import closes it first when it
is one (:func:`read_current_import`). A closed import that was only slow is ``running``
again at its next batch. Importing the file again completes it: the rows already imported
are skipped.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.db.engine import session_factory
from shopx.db.models import Import, ImportRowError
from shopx.db.writes import bookkeeping_session
from shopx.ingest.load import ImportReport
from shopx.ingest.records import REPORT_ERRORS, read_import
from shopx.ingest.rows import RowError

SILENCE = timedelta(minutes=10)
"""How long a running import may go without a committed batch."""
DRY_RUN_SILENCE = timedelta(hours=1)
"""How long a running dry run may go (it beats only when it starts)."""
INTERRUPTED = (
    "interrupted: its process stopped during the import (no sign of life for {silence});"
    " import the file again to complete it — rows already imported are skipped"
)

log = logging.getLogger(__name__)


def interrupted(now: datetime) -> ColumnElement[bool]:
    """Whether an ``imports`` row is a running import silent too long at ``now``."""
    beat = func.coalesce(Import.updated_at, Import.started_at, Import.created_at)
    return and_(
        Import.state == "running",
        or_(
            and_(Import.dry_run.is_(False), beat < now - SILENCE),
            beat < now - DRY_RUN_SILENCE,
        ),
    )


async def close_interrupted(
    engine: AsyncEngine, now: datetime, *, import_id: int | None = None
) -> list[int]:
    """Close the interrupted imports (only ``import_id``, when given) as ``failed`` with the
    report of their committed batches (module doc); the ids closed."""
    query = select(Import).where(interrupted(now)).order_by(Import.id).with_for_update()
    if import_id is not None:
        query = query.where(Import.id == import_id)
    async with bookkeeping_session(session_factory(engine)) as session:
        rows = (await session.scalars(query)).all()
        for row in rows:
            silence = SILENCE if not row.dry_run else DRY_RUN_SILENCE
            first = await session.scalars(
                select(ImportRowError)
                .where(ImportRowError.import_id == row.id)
                .order_by(ImportRowError.line, ImportRowError.id)
                .limit(REPORT_ERRORS)
            )
            report = committed_report(row)
            report.errors = [RowError(e.line, e.column, e.value, e.reason) for e in first]
            row.state, row.finished_at, row.updated_at = "failed", now, now
            row.error = INTERRUPTED.format(silence=_minutes(silence))
            row.report = report.as_json(REPORT_ERRORS)
        closed = [row.id for row in rows]
    if closed:
        log.warning("closed %d interrupted import(s) as failed: %s", len(closed), closed)
    return closed


async def read_current_import(engine: AsyncEngine, import_id: int) -> Import | None:
    """The import ``import_id`` as stored, closed first when it is interrupted."""
    row = await read_import(engine, import_id)
    now = datetime.now(UTC)
    # Checked here first: a read of a live import must not wait for a writer's turn.
    silent = row is not None and _silent(row, now)
    if silent and await close_interrupted(engine, now, import_id=import_id):
        row = await read_import(engine, import_id)
    return row


def _silent(row: Import, now: datetime) -> bool:
    """:func:`interrupted` for a row read."""
    beat = row.updated_at or row.started_at or row.created_at
    silence = DRY_RUN_SILENCE if row.dry_run else SILENCE
    return row.state == "running" and beat < now - silence


def committed_report(row: Import) -> ImportReport:
    """The report of an import's committed batches, from its counts."""
    return ImportReport(
        row.id,
        dry_run=row.dry_run,
        rows_read=row.rows_read,
        imported=row.rows_imported,
        skipped_duplicate=row.rows_skipped,
        failed=row.rows_failed,
    )


def _minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    return f"{minutes} minutes"
