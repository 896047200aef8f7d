"""The request body limit, at the edge: nothing behind it (the response cache, JSON parsing,
Strawberry) ever holds more than ``SHOPX_MAX_BODY_BYTES`` of one request.

A declared ``Content-Length`` past the limit is refused before a byte is read; a chunked body
is counted as it streams: once past the limit the app behind hears ``http.disconnect`` (as if
the client had left) and whatever it answers is dropped. Either way the answer is 413
with a JSON error (GraphQL's shape on ``/graphql``, the REST ``{"error", "detail"}``
elsewhere) and the connection is closed. The body is never held: the rest of it is read and
dropped (up to ``DRAIN_BYTES``) so that the client hears the 413 instead of a reset.

A route that takes files (the CSV upload) has its own, larger limit (``routes``: path ->
bytes), enforced the same way; its handler streams the body to disk, never holding it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from shopx.api.responses import send_refusal
from shopx.errors import PayloadTooLarge

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

DRAIN_BYTES = 64 * 1024 * 1024
"""Past the limit, the rest of a body up to this size is read and dropped before the 413 (a
client writes its whole body before it reads an answer); past this, the connection closes."""


class BodyLimitMiddleware:
    def __init__(self, app: App, limit: int, routes: Mapping[str, int] | None = None) -> None:
        self.app, self.default, self.routes = app, limit, dict(routes or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.routes.get(scope["path"], self.default)
        declared = _declared_length(scope)
        if declared > limit:
            if declared <= DRAIN_BYTES:
                await _drain(receive, DRAIN_BYTES)
            return await self._refuse(scope, send, limit)
        received = 0
        refused = started = False

        async def counted() -> Message:
            """The body as it streams; past the limit the app hears that the client left."""
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                refused = received > limit
                if refused:
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if not refused:
                started = started or message["type"] == "http.response.start"
                await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not refused:
                raise
        if refused and not started:
            await _drain(receive, DRAIN_BYTES - received)
            await self._refuse(scope, send, limit)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        error = PayloadTooLarge(f"the request body is larger than the limit of {limit} bytes")
        await send_refusal(scope, send, error, [(b"connection", b"close")])


async def _drain(receive: Receive, most: int) -> None:
    """Read and drop the rest of the body (up to ``most`` bytes) so that the client, which
    sends it all before reading, gets the 413 rather than a reset connection."""
    while most > 0:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        most -= len(message.get("body", b""))


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0
