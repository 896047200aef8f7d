"""An import and what follows it: the customers' RFM segments.

:func:`import_and_follow` is how the entry points (upload, ``shopx import``, a sheet's
sync) run the importer (:func:`shopx.ingest.load.import_batches`): once rows were imported,
the ``segments`` job runs with trigger ``event``, sent to a worker when a broker is
configured (:func:`shopx.jobs.dispatch.enqueue`), in this process otherwise. The importer
itself keeps every customer's statistics up to date per batch; a segment depends on the
whole shop's figures, so it is recomputed once, after the import. A dry run, or an import
that added nothing, runs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.ingest.load import Batches, ImportReport, import_batches
from shopx.ingest.rows import RowError
from shopx.jobs.dispatch import enqueue
from shopx.jobs.runner import RunRecord, run_job


@dataclass(frozen=True)
class FollowedImport:
    report: ImportReport
    segments: RunRecord | None
    """The ``segments`` run that followed (queued or ended), None when none was needed."""


async def import_and_follow(
    engine: AsyncEngine,
    settings: Settings,
    batches: Batches,
    *,
    import_id: int | None = None,
    dry_run: bool = False,
    cache: CacheRuntime | None = None,
    progress: Callable[[ImportReport], None] | None = None,
    on_errors: Callable[[list[RowError]], None] | None = None,
) -> FollowedImport:
    report = await import_batches(
        engine,
        settings,
        batches,
        import_id=import_id,
        dry_run=dry_run,
        cache=cache,
        progress=progress,
        on_errors=on_errors,
    )
    if dry_run or not report.imported:
        return FollowedImport(report, None)
    return FollowedImport(report, await follow_import(engine, settings, cache=cache))


async def follow_import(
    engine: AsyncEngine, settings: Settings, *, cache: CacheRuntime | None = None
) -> RunRecord:
    """The ``segments`` job after an import (module doc)."""
    if settings.broker_url:
        return await enqueue("segments", "event", engine, settings)
    return await run_job("segments", "event", engine, settings, cache=cache)
