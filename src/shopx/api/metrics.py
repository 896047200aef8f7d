"""``GET /metrics`` and the middleware that times every request into it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from shopx.observability import REQUEST_DURATION, REQUESTS

GRAPHQL_PATH = "/graphql"
OPERATION_SCOPE_KEY = "shopx.operation"
"""Set by the response cache to the GraphQL operation's name ("" or None: it has none)."""
UNNAMED_OPERATION = "anonymous"
UNKNOWN_OPERATION = "graphql"
"""The label when nothing inside told the operation's name (the body is not parsed here)."""
OTHER_OPERATION = "other"
UNMATCHED_ROUTE = "unmatched"
OPERATION_NAME_LENGTH = 64
OPERATION_NAME_LIMIT = 200

router = APIRouter(tags=["observability"])


@router.get("/metrics", response_class=Response)
async def metrics() -> Response:
    """This process's metrics in the Prometheus text format (each worker answers for itself)."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class OperationNames:
    """Bounds the operation label: names cut to 64 characters, the first 200 kept, then "other"."""

    def __init__(
        self, *, limit: int = OPERATION_NAME_LIMIT, length: int = OPERATION_NAME_LENGTH
    ) -> None:
        self.limit, self.length = limit, length
        self.known: set[str] = set()

    def label(self, name: str) -> str:
        name = name[: self.length]
        if name in self.known:
            return name
        if len(self.known) >= self.limit:
            return OTHER_OPERATION
        self.known.add(name)
        return name


OPERATION_NAMES = OperationNames()
"""One per process, like the metrics it bounds."""


class RouteTemplates:
    """The path template of the route that answered, found from the endpoint in the scope.

    ``scope["route"]`` is not enough: FastAPI 0.16x keeps included routers nested and leaves
    there the route relative to its router (``""`` for ``/graphql``), and sets none for the
    docs pages. Every match puts its endpoint in the scope, so a table from endpoint to
    template, built from the app's routes on first use and again when an endpoint is new
    (routes added late), answers with one lookup.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.templates: dict[int, str] = {}

    def of(self, scope: Scope) -> str:
        endpoint = scope.get("endpoint")
        if endpoint is None:
            return UNMATCHED_ROUTE
        template = self.templates.get(id(endpoint))
        if template is None:
            self.templates = route_templates(self.app.routes) | self.templates
            fallback = getattr(scope.get("route"), "path_format", None) or UNMATCHED_ROUTE
            template = self.templates.setdefault(id(endpoint), fallback)
        return template


def route_templates(routes: Iterable[BaseRoute]) -> dict[int, str]:
    """``id(endpoint)`` to full path template, for routes at the top or in included routers."""
    templates: dict[int, str] = {}
    for route in routes:
        effective_routes = getattr(route, "effective_route_contexts", None)
        for served in effective_routes() if effective_routes else (route,):
            endpoint = _endpoint(served)
            template = getattr(getattr(served, "starlette_route", None), "path_format", None)
            template = template or getattr(served, "path_format", None)
            if endpoint is not None and template:
                templates.setdefault(id(endpoint), template)
    return templates


def _endpoint(route: Any) -> Any:
    """What the router puts in ``scope["endpoint"]`` when ``route`` matches."""
    for holder in (route, getattr(route, "original_route", None)):
        endpoint = getattr(holder, "endpoint", None)
        if endpoint is not None:
            return endpoint
    return getattr(route, "app", None)


Series = tuple[Counter, Histogram]
"""A (counter, histogram) pair bound to one label set."""


class MetricsMiddleware:
    """Counts and times each HTTP request by GraphQL operation or REST route template.

    A POST to ``/graphql`` is told by its path, not its route: a cached answer may be sent
    before routing. Its name is what an inner middleware left in ``scope["shopx.operation"]``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: RouteTemplates,
        operations: OperationNames = OPERATION_NAMES,
    ) -> None:
        self.app = app
        self.routes = routes
        self.operations = operations
        self.graphql: dict[str, Series] = {}
        self.rest: dict[str, Series] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_graphql = scope["method"] == "POST" and _route_path(scope) == GRAPHQL_PATH
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            elapsed = time.perf_counter() - started
            if is_graphql:
                count, duration = self._series(self.graphql, self.operation(scope), "graphql")
            else:
                count, duration = self._series(self.rest, self.routes.of(scope), "rest")
            count.inc()
            duration.observe(elapsed)

    def operation(self, scope: Scope) -> str:
        if OPERATION_SCOPE_KEY not in scope:
            return UNKNOWN_OPERATION
        name = scope[OPERATION_SCOPE_KEY]
        return self.operations.label(name) if name else UNNAMED_OPERATION

    @staticmethod
    def _series(bound: dict[str, Series], operation: str, kind: str) -> Series:
        series = bound.get(operation)
        if series is None:
            labels = {"operation": operation, "kind": kind}
            series = bound[operation] = (
                REQUESTS.labels(**labels),
                REQUEST_DURATION.labels(**labels),
            )
        return series


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root_path = scope.get("root_path")
    if root_path and path.startswith(root_path):
        return path[len(root_path) :]
    return path
