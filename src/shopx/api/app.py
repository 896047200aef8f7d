"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from starlette.middleware.gzip import GZipMiddleware

from shopx import __version__
from shopx.api import health
from shopx.api.graphql.router import graphql_router
from shopx.api.middleware import ProcessTimeMiddleware
from shopx.api.responses import OrjsonResponse
from shopx.config import Settings, get_settings
from shopx.db.engine import engine_from_settings, session_factory
from shopx.errors import ShopXError

GZIP_MINIMUM_BYTES = 1024


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    """The API. ``clock`` fixes "now" for every request (tests); default: the system clock."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = engine_from_settings(settings)
        read_engine = (
            engine_from_settings(settings, read=True) if settings.database_read_url else engine
        )
        app.state.engine = engine
        app.state.write_sessions = session_factory(engine)
        app.state.read_sessions = session_factory(read_engine)
        app.state.secret = settings.jwt_secret()
        try:
            yield
        finally:
            await engine.dispose()
            if read_engine is not engine:
                await read_engine.dispose()

    app = FastAPI(
        title="ShopX Sales Analytics",
        version=__version__,
        description="Revenue, orders, products, customers and reps: exact to the cent, fast.",
        default_response_class=OrjsonResponse,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.include_router(health.router)
    app.include_router(graphql_router(), prefix="/graphql")
    app.add_exception_handler(ShopXError, _shopx_error)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    app.add_middleware(ProcessTimeMiddleware)
    return app


async def _shopx_error(_request: Request, exc: Exception) -> OrjsonResponse:
    assert isinstance(exc, ShopXError)
    return OrjsonResponse({"error": exc.code, "detail": exc.message}, status_code=exc.status)
