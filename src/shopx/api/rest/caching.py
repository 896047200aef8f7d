"""REST answers through the GraphQL response cache: the same tiers (in-process, Redis),
freshness, single flight and invalidation by tags, so a write shows on the next REST read
on every instance as it does on GraphQL.

A REST answer's key is made as a GraphQL one's (:meth:`ResponseCache.key`): a digest of the
route stands for the document, the path and the sorted query parameters for the variables, then the
caller's visibility and the business-local day. Every 200 carries an ``ETag`` (a digest of
the body) and a request whose ``If-None-Match`` names it gets ``304``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import orjson
from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from shopx.auth import Principal
from shopx.cache.documents import Plan, TtlClass
from shopx.cache.responses import JSON_HEADERS, Computed
from shopx.calendar import local_day
from shopx.db.engine import pool_timeout_is_unavailable
from shopx.errors import Unavailable

log = logging.getLogger("shopx.api")

Payload = Callable[[], Awaitable[Any]]
"""Computes the JSON-able answer (a dict)."""

PRIVATE = "private, no-cache"
"""Clients may keep an answer but must revalidate it (a 304 costs nothing)."""


@contextmanager
def answering(operation: str) -> Iterator[None]:
    """A database that fails, or has no connection free in time, makes the request a 503
    SERVICE_UNAVAILABLE (a retry may succeed), not an anonymous internal error."""
    try:
        with pool_timeout_is_unavailable():
            yield
    except (SQLAlchemyError, OSError) as exc:
        log.exception("the database failed while answering %s", operation)
        raise Unavailable("the database did not answer; retry later") from exc


@cache
def plan(operation: str, ttl: TtlClass, tags: frozenset[str]) -> Plan:
    """The cache plan of a REST route: ``operation`` names it (``GET /api/v1/...``)."""
    digest = hashlib.blake2b(f"rest {operation}".encode(), digest_size=16).hexdigest()
    return Plan(digest, operation, (ttl,), tuple(sorted(tags)))


def etag_of(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def _matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    tags = {part.strip().removeprefix("W/") for part in wanted.split(",")}
    return etag in tags or "*" in tags


async def cached_json(
    request: Request, route: Plan, caller: Principal, payload: Payload
) -> Response:
    """The answer of ``payload`` for this request, from the cache when it is fresh there."""
    state = request.app.state

    async def compute() -> Computed:
        with answering(route.operation):
            body = orjson.dumps(await payload(), option=orjson.OPT_NON_STR_KEYS)
        return Computed(200, JSON_HEADERS, body)

    responses = state.cache.responses
    source = "MISS"
    if responses is None:
        body = (await compute()).body
    else:
        today = local_day(state.clock(), state.settings.tz).isoformat()
        variables = [request.url.path, sorted(request.query_params.multi_items())]
        key = responses.key(route, variables, caller.visibility, today)
        no_cache = "no-cache" in request.headers.get("cache-control", "")
        refresh = no_cache and caller.role is not None
        with answering(route.operation):  # freshness is read from the database too
            answer = await responses.answer(key, route, compute, refresh=refresh)
        body, source = answer.computed.body, answer.source
    etag = etag_of(body)
    headers = {"etag": etag, "cache-control": PRIVATE, "x-cache": source}
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
