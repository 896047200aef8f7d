"""JSON responses serialized with orjson, and the edge's refusals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import Scope, Send

from shopx.api.graphql.errors import refusal_body
from shopx.errors import ShopXError


class OrjsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


GRAPHQL_PATH = "/graphql"


async def send_refusal(
    scope: Scope, send: Send, error: ShopXError, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    """An edge middleware's refusal, straight to ASGI: on ``/graphql`` as GraphQL over HTTP
    words it (``errors``, no ``data``), elsewhere as ``{"error", "detail"}``."""
    if scope["path"] == GRAPHQL_PATH:
        body = refusal_body(error.message, error.code)
    else:
        body = orjson.dumps({"error": error.code, "detail": error.message})
    start = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        *headers,
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": start})
    await send({"type": "http.response.body", "body": body})
