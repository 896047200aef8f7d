"""The FastAPI application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from shopx import __version__
from shopx.analytics.reporting import ReportingRules
from shopx.api import auth_routes, health, metrics, report_routes
from shopx.api.body_limit import BodyLimitMiddleware
from shopx.api.dashboard import build_folder, mount_dashboard
from shopx.api.docs import mount_docs
from shopx.api.graphql.dependencies import answer_tags
from shopx.api.graphql.freshness import shared_stamps
from shopx.api.graphql.router import graphql_router, post_endpoint
from shopx.api.login_limit import login_counters
from shopx.api.middleware import ProcessTimeMiddleware
from shopx.api.ratelimit import Counters, RateLimitMiddleware
from shopx.api.response_cache import EdgeWarmer, ResponseCacheMiddleware
from shopx.api.responses import GRAPHQL_PATH, OrjsonResponse
from shopx.api.rest import include_rest
from shopx.api.rest.caching import RestRoutes
from shopx.api.rest.edge import RestCacheMiddleware
from shopx.api.rest.imports import UPLOAD_PATH, BackgroundImports
from shopx.api.security import SecurityHeadersMiddleware, with_cors
from shopx.cache.runtime import CacheRuntime
from shopx.cache.tags import track_writes
from shopx.config import Settings, get_settings
from shopx.db.data_version import WriteMarks
from shopx.db.engine import engine_from_settings, session_factory
from shopx.db.replica import Replica
from shopx.errors import ShopXError
from shopx.jobs.scheduler import Scheduler, scheduler_wanted
from shopx.orders.desk import OrderDesk

GZIP_MINIMUM_BYTES = 1024
YOUNG_GC_THRESHOLD = 20_000
"""Allocations between young-generation collections in a served process (Python's: 700)."""


def settle_heap() -> None:
    """Move everything alive after startup out of the collector's sight and collect less often.

    The schema, the ORM mappers and the imported modules are long-lived objects that every
    full collection walked again: those collections landed inside requests and set the p95
    of cold reads (the README's Benchmarks section has the measurement).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])


def served_app() -> FastAPI:
    """The app as ``shopx serve`` runs it: :func:`create_app` plus :func:`settle_heap`, and
    the embedded job scheduler unless a broker is set or it is turned off."""
    return create_app(settle=True, schedule=True)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    settle: bool = False,
    schedule: bool = False,
    serving: bool = True,
) -> FastAPI:
    """The API. ``clock`` fixes "now" for every request (tests); default: the system clock.

    ``settle`` runs :func:`settle_heap` once startup is done (served processes only).
    ``schedule`` runs the embedded job scheduler (:mod:`shopx.jobs.scheduler`) when the
    settings want it: served processes only, so the apps tests make never run a job on
    their own.
    ``serving`` False: the app serves nobody and only computes answers for a worker's
    cache-warm job (:func:`shopx.api.warming.worker_cache`).
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = engine_from_settings(settings)
        read_engine = (
            engine_from_settings(settings, read=True)
            if settings.database_read_url or engine.dialect.name == "postgresql"
            else engine
        )
        app.state.engine = engine
        app.state.read_engine = read_engine
        app.state.write_sessions = session_factory(engine)
        app.state.read_sessions = session_factory(read_engine)
        # The write counter and its moment, read together where the answers are read.
        marks = WriteMarks(read_engine)
        app.state.data_stamp = shared_stamps(marks)
        app.state.secret = settings.jwt_secret()
        track_writes(Session)
        replica = None
        if settings.database_read_url:
            replica = Replica.of(settings, engine, read_engine)
        app.state.cache = cache = CacheRuntime(settings, marks.version, answer_tags(), replica)
        cache.warmer = EdgeWarmer(app.response_cache(), serving=serving)
        app.state.rate_counters = rate_counters = Counters(settings)
        app.state.login_counters = login_failures = login_counters(settings)
        app.state.background_imports = background_imports = BackgroundImports()
        app.state.order_desk = OrderDesk(
            app.state.write_sessions, cache, ReportingRules.of(settings), app.state.clock
        )
        scheduler = None
        if schedule and scheduler_wanted(settings):
            scheduler = Scheduler(
                engine, settings, cache=cache, takeover_seconds=settings.scheduler_takeover_seconds
            )
        await cache.start()
        if scheduler is not None:
            await scheduler.start()
        if settle:
            settle_heap()
        try:
            yield
        finally:
            if scheduler is not None:
                await scheduler.stop()
            await background_imports.stop()
            await cache.stop()
            await rate_counters.close()
            await login_failures.close()
            await engine.dispose()
            if read_engine is not engine:
                await read_engine.dispose()

    app = ShopXAPI(
        title="ShopX Sales Analytics",
        version=__version__,
        description="Revenue, orders, products, customers and reps: exact to the cent, fast.",
        default_response_class=OrjsonResponse,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.state.rest_routes = RestRoutes()
    app.include_router(health.router)
    mount_docs(app)
    graphql = graphql_router()
    app.include_router(graphql, prefix="/graphql")
    post = ServerErrorMiddleware(post_endpoint(graphql))
    app.graphql_post = GZipMiddleware(post, minimum_size=GZIP_MINIMUM_BYTES)
    app.include_router(auth_routes.router)
    app.include_router(report_routes.router)
    include_rest(app)
    app.add_exception_handler(ShopXError, _shopx_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(metrics.router)
    mount_dashboard(app, build_folder(settings.dashboard_dir))
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    return app


class ShopXAPI(FastAPI):
    """FastAPI behind our edge: timing, metrics and the response cache run before Starlette's
    own middleware, so a cached GraphQL answer leaves without entering FastAPI at all.

    Outermost first: ``X-Process-Time``, security headers, CORS, Prometheus metrics, the
    rate limit, the body limit, the response cache (REST answers, then GraphQL ones), then
    FastAPI (its error handling, gzip, routing, Strawberry; a POST to ``/graphql`` goes to
    Strawberry's view behind the same error handling and gzip). Everything that answers (a
    cached hit, a 429, a 413, a CORS preflight) still gets the security headers; the rate
    limit counts cached hits too.
    """

    _edge: ASGIApp | None = None
    _response_cache: ResponseCacheMiddleware | None = None
    graphql_post: ASGIApp | None = None
    """A POST to ``/graphql`` (:func:`post_endpoint`, behind FastAPI's error handling and
    gzip), sent past FastAPI's routing."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._edge is None:
            limit = self.state.settings.max_body_bytes
            uploads = {UPLOAD_PATH: self.state.settings.upload_max_mb * 1024 * 1024}
            graphql = self.response_cache()
            rest = RestCacheMiddleware(graphql, self.state, graphql.today)
            cached = BodyLimitMiddleware(rest, limit, uploads)
            limited = RateLimitMiddleware(cached, self.state)
            timed = metrics.MetricsMiddleware(limited, routes=metrics.RouteTemplates(self))
            shared = with_cors(timed, self.state.settings)
            self._edge = ProcessTimeMiddleware(SecurityHeadersMiddleware(shared))
        await self._edge(scope, receive, send)

    def response_cache(self) -> ResponseCacheMiddleware:
        """The response cache in front of FastAPI (also what the cache-warm job asks)."""
        if self._response_cache is None:
            self._response_cache = ResponseCacheMiddleware(self._routes, self.state)
        return self._response_cache

    async def _routes(self, scope: Scope, receive: Receive, send: Send) -> None:
        """FastAPI, but for a POST to ``/graphql``: straight to Strawberry's view, behind
        the same error handling and gzip as FastAPI's routes."""
        if (
            self.graphql_post is not None
            and scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == GRAPHQL_PATH
        ):
            scope["app"] = self
            await self.graphql_post(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


async def _shopx_error(_request: Request, exc: Exception) -> OrjsonResponse:
    assert isinstance(exc, ShopXError)
    return OrjsonResponse({"error": exc.code, "detail": exc.message}, status_code=exc.status)


HTTP_CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMIT_EXCEEDED",
}
"""Starlette's own refusals (no route, wrong method) in our REST shape, with a code."""


async def _http_error(_request: Request, exc: Exception) -> OrjsonResponse:
    assert isinstance(exc, StarletteHTTPException)
    fallback = "BAD_USER_INPUT" if exc.status_code < 500 else "INTERNAL_SERVER_ERROR"
    body = {"error": HTTP_CODES.get(exc.status_code, fallback), "detail": str(exc.detail)}
    return OrjsonResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _invalid_request(_request: Request, exc: Exception) -> OrjsonResponse:
    """A query parameter or body FastAPI could not read: the caller's to fix (400, not 422)."""
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors()[:5]
    )
    return OrjsonResponse({"error": "BAD_USER_INPUT", "detail": problems}, status_code=400)
