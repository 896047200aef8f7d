"""How every ASGI app of ours is served: one set of server settings for the API and the bench."""

from __future__ import annotations

import uvicorn

from shopx.config import get_settings

API_APP = "shopx.api.app:served_app"


def serve(
    app: str = API_APP,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    factory: bool = True,
    log_level: str = "info",
    access_log: bool = False,
    ws_max_size: int | None = None,
) -> None:
    """Run ``app`` (an import string) under uvicorn with uvloop and httptools.

    A WebSocket message is bounded like a request body (``SHOPX_MAX_BODY_BYTES`` unless
    ``ws_max_size`` says otherwise): uvicorn's default is 16 MiB, read whole into memory."""
    uvicorn.run(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level=log_level,
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
        date_header=False,
        ws_max_size=ws_max_size or get_settings().max_body_bytes,
    )
