"""The ``/graphql`` endpoint: HTTP (GraphiQL in the browser) and WebSocket subscriptions.

Over WebSocket (graphql-transport-ws) the caller is the token of the ``connection_init``
payload ``{"authorization": "Bearer ..."}`` (browsers cannot set headers on a WebSocket),
else the ``Authorization`` header of the upgrade request. Each operation checks it as over
HTTP, so a refused subscription gets an ``error`` message and the connection stays open.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import HTTPConnection
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from shopx.api.graphql.context import Context
from shopx.api.graphql.ide import GRAPHIQL_HTML
from shopx.api.graphql.schema import schema
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
    )


def _caller(secret: str, authorization: str | None) -> tuple[Principal, ShopXError | None]:
    """The caller behind a bearer token, or anonymous and why the token was refused."""
    try:
        return principal_from_header(secret, authorization), None
    except ShopXError as exc:
        return ANONYMOUS, exc


class ShopXGraphQLRouter(GraphQLRouter[Context, None]):
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


def graphql_router() -> GraphQLRouter:
    return ShopXGraphQLRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql",
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
    )
