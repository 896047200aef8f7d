"""The ``/graphql`` endpoint (GraphiQL in the browser)."""

from __future__ import annotations

from fastapi import Request
from strawberry.fastapi import GraphQLRouter

from shopx.api.graphql.context import Context
from shopx.api.graphql.schema import schema
from shopx.auth import ANONYMOUS, principal_from_header
from shopx.errors import ShopXError


async def get_context(request: Request) -> Context:
    state = request.app.state
    settings = state.settings
    try:
        caller = principal_from_header(state.secret, request.headers.get("authorization"))
        failure = None
    except ShopXError as exc:
        caller, failure = ANONYMOUS, exc
    return Context(
        settings=settings,
        read_sessions=state.read_sessions,
        write_sessions=state.write_sessions,
        caller=caller,
        caller_error=failure,
        now=state.clock(),
        cache=state.cache,
    )


def graphql_router() -> GraphQLRouter:
    return GraphQLRouter(schema, context_getter=get_context, graphql_ide="graphiql")
