"""The ``imports`` rows: one per import, kept up to date batch by batch.

A row is created ``queued`` (:func:`create_import`), turns ``running`` when the importer
starts, has its counts and percent written in the transaction of each batch (so they are
always those of the committed rows), and ends ``succeeded`` with the report, or ``failed``
with the error and the report of what was committed before it. Every write to it touches
``updated_at``, the heartbeat by which :mod:`shopx.ingest.interrupted` tells a ``running``
import whose process died.

Every row error is kept in ``import_errors`` (:func:`write_errors`), written with the batch
that found it; a dry run's transaction is rolled back, so its errors wait in an
:class:`ErrorSpool` (a temporary file) and are written after the rollback, a batch per short
transaction. A run of an import starts by removing the errors of an earlier run of it (a
worker taking over an upload whose worker died), so each error is there once.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Literal

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shopx.db.engine import session_factory
from shopx.db.models import ERROR_VALUE_CHARS, Import, ImportRowError
from shopx.db.writes import bookkeeping_session
from shopx.ingest.bulk import insert_records
from shopx.ingest.rows import RowError

if TYPE_CHECKING:
    from shopx.ingest.load import ImportReport

Source = Literal["upload", "cli", "sheet"]
ERROR_LIMIT = 2_000
REPORT_ERRORS = 100
"""Row errors kept in the stored report (``import_errors`` keeps them all)."""
ERROR_COLUMNS = ("import_id", "line", "column", "value", "reason")


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
    now = datetime.now(UTC)
    async with bookkeeping_session(sessions) as session:
        await session.execute(
            update(Import)
            .where(Import.id == import_id)
            .values(state="running", dry_run=dry_run, started_at=now, updated_at=now, error=None)
        )
        await session.execute(delete(ImportRowError).where(ImportRowError.import_id == import_id))


async def write_progress(
    session: AsyncSession, import_id: int | None, report: ImportReport
) -> None:
    """The counts of ``report`` (committed with the batch that reached them), and the
    heartbeat: an import closed as interrupted while it was only slow is ``running`` again."""
    if import_id is None:
        return
    await session.execute(
        update(Import)
        .where(Import.id == import_id)
        .values(
            state="running",
            error=None,
            finished_at=None,
            updated_at=datetime.now(UTC),
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
    now = datetime.now(UTC)
    values: dict[str, object] = {
        "state": "failed" if error is not None else "succeeded",
        "finished_at": now,
        "updated_at": now,
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


async def write_errors(
    session: AsyncSession, import_id: int | None, errors: list[RowError]
) -> None:
    """Store ``errors`` of the import ``import_id`` in ``session``'s transaction (one bulk
    insert: a file of bad rows imports about as fast as one of good rows)."""
    if import_id is None or not errors:
        return
    records = [
        (
            import_id,
            e.line,
            e.column,
            None if e.value is None else e.value[:ERROR_VALUE_CHARS],
            e.reason,
        )
        for e in errors
    ]
    await insert_records(session, ImportRowError.__table__, ERROR_COLUMNS, records)


class ErrorSpool:
    """A dry run's row errors, a batch per line of JSON in a temporary file (memory stays
    bounded however many there are), stored by :meth:`write` once its transaction is gone."""

    def __init__(self) -> None:
        self._file: IO[str] | None = None

    def add(self, errors: list[RowError]) -> None:
        if not errors:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        rows = [(e.line, e.column, e.value, e.reason) for e in errors]
        self._file.write(json.dumps(rows) + "\n")

    async def write(
        self, sessions: async_sessionmaker[AsyncSession], import_id: int | None
    ) -> None:
        """Store the spooled errors of ``import_id``, a batch per transaction; the spool is
        closed after, however it ends."""
        spooled, self._file = self._file, None
        if spooled is None:
            return
        with spooled:
            if import_id is None:
                return
            spooled.seek(0)
            for line in spooled:
                errors = [RowError(*row) for row in json.loads(line)]
                async with bookkeeping_session(sessions) as session:
                    await write_errors(session, import_id, errors)


async def error_rows(
    engine: AsyncEngine, import_id: int, after: tuple[int, int] | None, limit: int
) -> list[ImportRowError]:
    """Up to ``limit`` row errors of ``import_id`` in file order, after the one at
    ``after`` (its line and id): a page of keyset pagination, in a short session."""
    query = (
        select(ImportRowError)
        .where(ImportRowError.import_id == import_id)
        .order_by(ImportRowError.line, ImportRowError.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(tuple_(ImportRowError.line, ImportRowError.id) > tuple_(*after))
    async with session_factory(engine)() as session:
        return list((await session.scalars(query)).all())
