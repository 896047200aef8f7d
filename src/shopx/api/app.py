"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.middleware.gzip import GZipMiddleware

from shopx import __version__
from shopx.api import health
from shopx.api.middleware import ProcessTimeMiddleware
from shopx.api.responses import OrjsonResponse
from shopx.config import Settings, get_settings
from shopx.db.engine import engine_from_settings
from shopx.errors import ShopXError

GZIP_MINIMUM_BYTES = 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = engine_from_settings(settings)
        try:
            yield
        finally:
            await app.state.engine.dispose()

    app = FastAPI(
        title="ShopX Sales Analytics",
        version=__version__,
        description="Revenue, orders, products, customers and reps: exact to the cent, fast.",
        default_response_class=OrjsonResponse,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(health.router)
    app.add_exception_handler(ShopXError, _shopx_error)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    app.add_middleware(ProcessTimeMiddleware)
    return app


async def _shopx_error(_request: Request, exc: Exception) -> OrjsonResponse:
    assert isinstance(exc, ShopXError)
    return OrjsonResponse({"error": exc.code, "detail": exc.message}, status_code=exc.status)
