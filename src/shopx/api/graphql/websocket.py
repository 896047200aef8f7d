"""graphql-transport-ws under the same bounds as HTTP.

- A message is at most ``SHOPX_MAX_BODY_BYTES``: ``shopx serve`` tells uvicorn so
  (``ws_max_size``), and a server started otherwise (default 16 MiB) gets the same answer
  here, close 1009, before the message is decoded.
- Messages are decoded by orjson, whose depth cap refuses ``[[[[...]]]]`` (json.loads
  recursed into a RecursionError that killed the socket): close 4400 as any invalid JSON.
- Every ``subscribe`` counts against the caller's rate limit (the socket's open counted
  once); past it, or past the operations one socket may run at once, that operation gets an
  ``error`` message with RATE_LIMIT_EXCEEDED and the socket stays open.
- A ``subscribe`` whose payload is not shaped as the protocol says (a query string, an
  object of variables, an operation name string) gets an ``error`` with BAD_USER_INPUT; a
  message that is not an object, or an id that is not a string, closes the socket 4400 (it
  cannot be answered by id).

Each operation runs with a context of its own (:meth:`Context.for_operation`): its own
``now``, DataLoaders and ``dataAsOf``. Strawberry hands every operation of a connection the
connection's context, so a query sent an hour after the socket opened answered TODAY as of
then, a mutation stamped its writes with that time, and a customer loaded by one operation
was served unchanged to the next one after it had been renamed.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.schema.base import BaseSchema
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from shopx.api.graphql.context import Context
from shopx.api.ratelimit import exceeded, limiter_of
from shopx.errors import BadInput, RateLimited, ShopXError

MESSAGE_TOO_BIG = 1009
IDENTIFIED = ("subscribe", "complete")
OPTIONAL_FIELDS = (("variables", dict), ("operationName", str), ("extensions", dict))


class BoundedWebSocketAdapter(ASGIWebSocketAdapter):
    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object]:
        limit = self.ws.app.state.settings.max_body_bytes
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if _too_big(text, limit):
                    await self.close(MESSAGE_TOO_BIG, f"message larger than {limit} bytes")
                    return
                try:
                    yield orjson.loads(text)
                except orjson.JSONDecodeError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
        except KeyError as exc:
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass


def _too_big(text: str, limit: int) -> bool:
    """Encoded only near the limit: a character is one to four bytes of UTF-8."""
    if len(text) > limit:
        return True
    return len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit


class _PerOperation:
    """The schema as a connection's operations reach it: each one streamed with a context
    of its own, cut at the app's clock when it starts."""

    def __init__(self, schema: BaseSchema) -> None:
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(self, query: str, *, context_value: Context, **rest: Any) -> Any:
        assert context_value.request is not None
        now = context_value.request.app.state.clock()
        return await self._schema.stream(
            query, context_value=context_value.for_operation(now), **rest
        )


class BoundedTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    def __init__(
        self,
        view: Any,
        websocket: Any,
        context: Context,
        root_value: None,
        schema: BaseSchema,
        *rest: Any,
        **named: Any,
    ) -> None:
        per_operation: Any = _PerOperation(schema)
        super().__init__(view, websocket, context, root_value, per_operation, *rest, **named)

    async def handle_message(self, message: Any) -> None:
        """Strawberry indexes a message and hashes its id unchecked: a JSON array, or an id
        that is a list, raised a TypeError that killed the socket with a traceback."""
        if not isinstance(message, dict):
            return await self.handle_invalid_message("Invalid message: not a JSON object")
        if message.get("type") in IDENTIFIED and not isinstance(message.get("id"), str):
            return await self.handle_invalid_message("Invalid message: id must be a string")
        await super().handle_message(message)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if not self.connection_acknowledged or message["id"] in self.operations:
            return await super().handle_subscribe(message)
        refusal = await self._refusal(message)
        if refusal is not None:
            await self.send_message(_error(message["id"], refusal))
            return
        await super().handle_subscribe(message)

    async def _refusal(self, message: SubscribeMessage) -> ShopXError | None:
        """Why this operation may not run: rate, operations at once, then its shape."""
        request = self.context.request
        assert request is not None
        limiter = limiter_of(request.app.state)
        if limiter.enabled:
            window = await limiter.hit(request.scope, self.context.caller)
            if not window.allowed:
                return exceeded(window)
        most = self.max_subscriptions_per_connection
        if most is not None and len(self.operations) >= most:
            return RateLimited(f"subscription limit reached: {most} operations at once per socket")
        return _shape_refusal(message.get("payload"))


def _shape_refusal(payload: Any) -> BadInput | None:
    if not isinstance(payload, dict):
        return BadInput("the subscribe payload must be an object with a query")
    if not isinstance(payload.get("query"), str):
        return BadInput("the subscribe payload has no query string")
    for name, kind in OPTIONAL_FIELDS:
        value = payload.get(name)
        if value is not None and not isinstance(value, kind):
            return BadInput(f"{name} must be {'an object' if kind is dict else 'a string'}")
    return None


def _error(operation: str, error: ShopXError) -> Any:
    payload = [{"message": error.message, "extensions": {"code": error.code}}]
    return {"id": operation, "type": "error", "payload": payload}
