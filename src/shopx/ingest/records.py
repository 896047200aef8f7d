"""The ``imports`` rows: one per import, kept up to date batch by batch.

A row is created ``queued`` (:func:`create_import`), turns ``running`` when the importer
starts, has its counts and percent written in the transaction of each batch (so they are
always those of the committed rows), and ends ``succeeded`` with the report, or ``failed``
with the error and the report of what was committed before it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx.db.engine import session_factory
from shopx.db.models import Import
from shopx.db.writes import bookkeeping_session

if TYPE_CHECKING:
    from shopx.ingest.load import ImportReport

Source = Literal["upload", "cli", "sheet"]
ERROR_LIMIT = 2_000
REPORT_ERRORS = 100
"""Row errors kept in the stored report (the importer's caller gets them all)."""


async def create_import(
    engine: AsyncEngine,
    source: Source,
    *,
    file_name: str | None = None,
    sha256: str | None = None,
) -> int:
    """A ``queued`` import row; returns its id."""
    async with bookkeeping_session(session_factory(engine)) as session:
        row = Import(source=source, file_name=file_name, sha256=sha256, state="queued")
        session.add(row)
        await session.flush()
        return row.id


async def read_import(engine: AsyncEngine, import_id: int) -> Import | None:
    """The import ``import_id`` as stored now (its progress while it runs)."""
    async with session_factory(engine)() as session:
        return await session.get(Import, import_id)


async def recent_imports(engine: AsyncEngine, limit: int) -> list[Import]:
    """The ``limit`` newest imports, newest first."""
    async with session_factory(engine)() as session:
        query = select(Import).order_by(Import.created_at.desc(), Import.id.desc()).limit(limit)
        return list((await session.scalars(query)).all())


async def start_import_run(
    sessions: async_sessionmaker[AsyncSession], import_id: int, dry_run: bool
) -> None:
    async with bookkeeping_session(sessions) as session:
        await session.execute(
            update(Import)
            .where(Import.id == import_id)
            .values(state="running", dry_run=dry_run, started_at=datetime.now(UTC), error=None)
        )


async def write_progress(
    session: AsyncSession, import_id: int | None, report: ImportReport
) -> None:
    """The counts of ``report`` (committed with the batch that reached them)."""
    if import_id is None:
        return
    await session.execute(
        update(Import)
        .where(Import.id == import_id)
        .values(
            rows_read=report.rows_read,
            rows_imported=report.imported,
            rows_skipped=report.skipped_duplicate,
            rows_failed=report.failed,
            percent=min(100.0, report.percent),
        )
    )


async def finish_import(
    sessions: async_sessionmaker[AsyncSession],
    import_id: int,
    report: ImportReport,
    error: BaseException | None,
) -> None:
    values: dict[str, object] = {
        "state": "failed" if error is not None else "succeeded",
        "finished_at": datetime.now(UTC),
        "report": report.as_json(REPORT_ERRORS),
        "rows_read": report.rows_read,
        "rows_imported": report.imported,
        "rows_skipped": report.skipped_duplicate,
        "rows_failed": report.failed,
    }
    if error is None:
        values["percent"] = 100.0
    else:
        values["error"] = f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
    async with bookkeeping_session(sessions) as session:
        await session.execute(update(Import).where(Import.id == import_id).values(**values))
