"""One import of a sales file, end to end: what ``shopx import`` and the upload route run.

:func:`open_sales` settles the file (encoding, delimiter, date order, columns) in a worker
thread, so that a file-level problem is a :class:`~shopx.ingest.parse.ParseError` before
anything is written; :func:`run_import` then streams its batches into the importer
(:func:`shopx.ingest.load.import_batches`), keeping the ``imports`` row up to date, and hands
every row error to ``on_errors`` (the report keeps the first
:data:`~shopx.ingest.load.KEPT_ERRORS`). The caller then runs what follows an import (the
segments job: :func:`shopx.jobs.imports.follow_import` for the entry points; the ``imports``
job, which the registry runs, refreshes them itself). The parser reads the file in a worker
thread, batch by batch, so a large import in the API process leaves its event loop free for
other requests.

A file-level error found while streaming (a line over 1 MiB, an unclosed quote past the first
pass) ends the import ``failed`` with the batches before it committed; running the same
(corrected) file again completes it without duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.db.engine import session_factory
from shopx.ingest.load import ImportReport, import_batches
from shopx.ingest.parse import Batch, ParsedFile, parse_sales
from shopx.ingest.process import parsing_process
from shopx.ingest.records import Source, create_import, finish_import
from shopx.ingest.rows import RowError
from shopx.ingest.source import Progress
from shopx.reports.render import csv_cell

ERROR_COLUMNS = ("line", "column", "value", "reason")


@dataclass(frozen=True)
class Opened:
    """A settled sales file and the ``imports`` row that will follow its import."""

    parsed: ParsedFile
    import_id: int


async def open_sales(
    engine: AsyncEngine,
    settings: Settings,
    file: str | os.PathLike[str] | BinaryIO,
    *,
    source: Source,
    file_name: str | None,
    date_order: str | None = None,
    progress: Progress | None = None,
    import_id: int | None = None,
) -> Opened:
    """Settle ``file`` and create its ``queued`` import row (``import_id``: the row made
    when the file came in). A file that cannot be imported raises
    :class:`~shopx.ingest.parse.ParseError` (its ``detail`` may say
    ``{"needs": "date_order"}``) and is recorded as a ``failed`` import."""
    if import_id is None:
        import_id = await create_import(engine, source, file_name=file_name)
    try:
        parsed = await asyncio.to_thread(
            parse_sales,
            file,
            tz=settings.tz,
            date_order=date_order,
            progress=progress,
        )
    except BaseException as exc:
        await finish_import(session_factory(engine), import_id, ImportReport(import_id), exc)
        raise
    return Opened(parsed, import_id)


async def run_import(
    engine: AsyncEngine,
    settings: Settings,
    opened: Opened,
    *,
    dry_run: bool = False,
    cache: CacheRuntime | None = None,
    progress: Callable[[ImportReport], None] | None = None,
    on_errors: Callable[[list[RowError]], None] | None = None,
) -> ImportReport:
    """Import ``opened`` (module doc); the file is closed at the end, however it ends."""
    parsed = opened.parsed
    try:
        # A large file is parsed in a process of its own, else in a worker thread here.
        async with parsing_process(parsed, settings) as elsewhere:
            return await import_batches(
                engine,
                settings,
                elsewhere or _batches(parsed),
                total_bytes=parsed.settings.size,
                import_id=opened.import_id,
                dry_run=dry_run,
                cache=cache,
                progress=progress,
                on_errors=on_errors,
            )
    finally:
        parsed.close()


async def _batches(parsed: ParsedFile) -> AsyncIterator[Batch]:
    """The parser's batches, each read in a worker thread."""
    batches = parsed.batches()
    try:
        while (batch := await asyncio.to_thread(next, batches, None)) is not None:
            yield batch
    finally:
        # Cancelled while a thread still reads it, it cannot close: closing the file ends it.
        with contextlib.suppress(ValueError):
            await asyncio.to_thread(batches.close)


class ErrorWriter:
    """Every row error of an import as CSV (line, column, value, reason) on ``out``, values a
    spreadsheet would run as a formula kept as text (:func:`csv_cell`)."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)
        self._writer.writerow(ERROR_COLUMNS)
        self.count = 0

    def __call__(self, errors: list[RowError]) -> None:
        self._writer.writerows(
            (e.line, e.column or "", csv_cell(e.value), csv_cell(e.reason)) for e in errors
        )
        self.count += len(errors)
