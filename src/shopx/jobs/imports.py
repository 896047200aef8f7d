"""What follows an import: the customers' RFM segments.

The entry points (upload, ``shopx import``, a sheet's sync) run the importer
(:func:`shopx.ingest.load.import_batches`), then :func:`follow_import`: once rows were
imported, the ``segments`` job runs with trigger ``event``, sent to a worker when a broker
is configured (:func:`shopx.jobs.dispatch.enqueue`), in this process otherwise. The
importer keeps every customer's statistics up to date per batch; a segment depends on the
whole shop's figures, so it is recomputed once, after the import. A dry run, or an import
that added nothing, is followed by nothing.

It lives with the jobs, not in :mod:`shopx.ingest`, so that an import job can use the
importer without the two packages importing each other.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings
from shopx.ingest.load import ImportReport
from shopx.jobs.dispatch import enqueue
from shopx.jobs.runner import RunRecord, run_job


async def follow_import(
    engine: AsyncEngine,
    settings: Settings,
    report: ImportReport,
    *,
    cache: CacheRuntime | None = None,
) -> RunRecord | None:
    """The ``segments`` run that follows ``report``'s import (queued or ended), None when
    none is needed (module doc)."""
    if report.dry_run or not report.imported:
        return None
    if settings.broker_url:
        return await enqueue("segments", "event", engine, settings)
    return await run_job("segments", "event", engine, settings, cache=cache)
