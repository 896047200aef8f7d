"""The ``/graphql`` endpoint: HTTP (GraphiQL in the browser) and WebSocket subscriptions.

Over WebSocket (graphql-transport-ws) the caller is the token of the ``connection_init``
payload ``{"authorization": "Bearer ..."}`` (browsers cannot set headers on a WebSocket),
else the ``Authorization`` header of the upgrade request. Each operation checks it as over
HTTP, so a refused subscription gets an ``error`` message and the connection stays open.

Every refusal is JSON with ``errors[].extensions.code``, never plain text: a body that is not
one JSON object (``null``, a number, a batch array), unparsable JSON, another content type
(415), no query, an ambiguous or unknown operation name, and a document past the limits of
:mod:`shopx.api.graphql.limits` (checked, once per distinct document, before Strawberry
parses or validates it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from shopx.api.graphql.context import Context
from shopx.api.graphql.errors import refusal_body, shape_result
from shopx.api.graphql.ide import GRAPHIQL_HTML
from shopx.api.graphql.limits import DocumentLimits, gate
from shopx.api.graphql.schema import schema
from shopx.api.graphql.websocket import BoundedTransportWSHandler, BoundedWebSocketAdapter
from shopx.auth import ANONYMOUS, Principal, principal_from_header
from shopx.errors import ShopXError

CONNECTION_INIT_TIMEOUT = timedelta(seconds=10)


async def get_context(connection: HTTPConnection) -> Context:
    """The context of one HTTP request, or of one WebSocket connection and all its operations."""
    state = connection.app.state
    caller, failure = _caller(state.secret, connection.headers.get("authorization"))
    return Context(
        settings=state.settings,
        read_sessions=state.read_sessions,
        write_sessions=state.write_sessions,
        caller=caller,
        caller_error=failure,
        now=state.clock(),
        cache=state.cache,
        orders=state.order_desk,
        data_stamp=state.data_stamp,
    )


def _caller(secret: str, authorization: str | None) -> tuple[Principal, ShopXError | None]:
    """The caller behind a bearer token, or anonymous and why the token was refused."""
    try:
        return principal_from_header(secret, authorization), None
    except ShopXError as exc:
        return ANONYMOUS, exc


class Refused(HTTPException):
    """A request refused before it runs, with the code it answers with."""

    def __init__(self, status: int, message: str, code: str = "BAD_USER_INPUT") -> None:
        super().__init__(status, message)
        self.code = code


class ShopXGraphQLRouter(GraphQLRouter[Context, None]):
    websocket_adapter_class = BoundedWebSocketAdapter  # type: ignore[assignment]
    graphql_transport_ws_handler_class = BoundedTransportWSHandler

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response | WebSocket:
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            code = exc.code if isinstance(exc, Refused) else "BAD_USER_INPUT"
            body = refusal_body(exc.reason, code)
            return Response(body, status_code=exc.status_code, media_type="application/json")

    def parse_json(self, data: str | bytes) -> Any:
        """One JSON object (a batch array is refused: we run one operation per request)."""
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise HTTPException(400, f"the request body is not valid JSON: {exc}") from exc
        if isinstance(value, list):
            raise HTTPException(400, "batched requests are not supported: send one operation")
        if not isinstance(value, dict):
            raise HTTPException(400, "the request body must be a JSON object with a query")
        return value

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        content_type, _ = parse_content_type(request.content_type or "")
        if request.method == "POST" and content_type != "application/json":
            raise HTTPException(415, "send the request as Content-Type: application/json")
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and not isinstance(data.operation_name, str | None):
            raise HTTPException(400, "operationName must be a string or null")
        return data

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        """GET's ``variables`` and ``extensions``: each a JSON object when given."""
        found = dict(params)
        for name in ("variables", "extensions"):
            if found.get(name):
                found[name] = _json_object(found[name], name)
        return found

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> Any:
        """Refuse a document past the limits, or naming no single operation, before it runs."""
        if request_data.query:
            limits = DocumentLimits.of(context.settings)
            refusal = gate(limits).check(request_data.query, request_data.operation_name).refusal
            if refusal is not None:
                raise Refused(refusal.status, refusal.message, refusal.code)
        return await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        """The context of a POST that came to :func:`post_endpoint` (FastAPI's routes hand
        theirs in)."""
        context = await get_context(request)
        context.request, context.response = request, response
        return context

    async def get_sub_response(self, request: Request) -> Response:
        """Where resolvers may set the response's status and headers: the request's own
        (Strawberry's FastAPI router keeps one on the router, shared by the requests under
        way)."""
        response = Response()
        del response.headers["content-length"]
        response.status_code = None  # type: ignore[assignment]
        return response

    async def process_result(self, request: Request, result: Any) -> GraphQLHTTPResponse:
        """Errors raised before the operation began (parsing) are shaped here."""
        shape_result(result)
        return await super().process_result(request, result)

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL with its scripts served by us instead of a CDN."""
        return GRAPHIQL_HTML

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Take the caller from the ``connection_init`` payload when it names one."""
        params = context.connection_params or {}
        given = [value for key, value in params.items() if key.lower() == "authorization"]
        if given and given[0] is not None:
            assert context.request is not None
            secret = context.request.app.state.secret
            context.caller, context.caller_error = _caller(secret, str(given[0]))
        return UNSET


def _json_object(text: str, name: str) -> dict[str, Any]:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise HTTPException(400, f"{name} is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise HTTPException(400, f"{name} must be a JSON object")
    return value


def post_endpoint(router: ShopXGraphQLRouter) -> ASGIApp:
    """A POST to ``/graphql`` as an ASGI app of its own, for the app to send every such
    request to without FastAPI's routing and dependency injection: under the write storm
    they cost an order (its ``createOrder`` and its check read) more of a worker's CPU than
    its share of the batched write (py-spy, README "Writes"). The view, its context and
    its refusals are the route's."""

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        response = await router.run(Request(scope, receive), root_value=None)
        assert isinstance(response, Response)
        await response(scope, receive, send)

    return endpoint


def graphql_router() -> ShopXGraphQLRouter:
    return ShopXGraphQLRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql",
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
    )
