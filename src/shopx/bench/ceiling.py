"""The ceiling: a bare ASGI app served with the API's server settings.

Whatever it reaches is the most any scenario could reach on this machine, so each scenario
is reported as a share of it. Run it with ``python -m shopx.bench.ceiling --port P``.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from shopx.api.server import serve

CEILING_APP = "shopx.bench.ceiling:app"
BODY = b'{"status":"ok"}'
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def app(scope: Message, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    await _discard_body(receive)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


async def _discard_body(receive: Receive) -> None:
    while True:
        message = await receive()
        if not message.get("more_body", False):
            return


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the bench ceiling app.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    serve(
        CEILING_APP,
        host=args.host,
        port=args.port,
        workers=args.workers,
        factory=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
