"""The API inside a worker: what lets a Celery worker's cache-warm job compute answers.

``shopx serve`` installs its warmer itself (:class:`~shopx.api.response_cache.EdgeWarmer`
on the app's cache runtime). A worker has no API, so a job there cannot run a query; a
worker process that should warm the shared cache enters :func:`worker_cache` once at
startup and passes the runtime it yields to :func:`shopx.jobs.runner.run_job`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from shopx.api.app import create_app
from shopx.cache.runtime import CacheRuntime
from shopx.config import Settings


@asynccontextmanager
async def worker_cache(settings: Settings) -> AsyncIterator[CacheRuntime]:
    """A started app that serves nobody, and its cache runtime: jobs run with it invalidate
    answers like any writer, and its warmer fills Redis (its in-process tier helps no one,
    so cache-warm does nothing there without Redis)."""
    app = create_app(settings, serving=False)
    async with app.router.lifespan_context(app):
        yield app.state.cache
