"""How every ASGI app of ours is served: one set of server settings for the API and the bench."""

from __future__ import annotations

import uvicorn

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
) -> None:
    """Run ``app`` (an import string) under uvicorn with uvloop and httptools."""
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
    )
