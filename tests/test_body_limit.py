"""The body limit as ASGI middleware: declared and streamed bodies past it are refused with
413 and a JSON error, and the app behind never holds more than the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from shopx.api.body_limit import BodyLimitMiddleware

LIMIT = 1024


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"received": len(await request.body())})


def client() -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/{path:path}", echo, methods=["POST"])])
    transport = httpx.ASGITransport(app=BodyLimitMiddleware(app, LIMIT))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def chunks(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // 64):
        yield b"x" * 64


async def test_a_body_within_the_limit_passes_whole() -> None:
    async with client() as http:
        response = await http.post("/graphql", content=b"x" * LIMIT)

    assert response.status_code == 200
    assert response.json() == {"received": LIMIT}


async def test_a_declared_length_past_the_limit_is_refused_in_graphql_shape() -> None:
    async with client() as http:
        response = await http.post("/graphql", content=b"x" * (LIMIT + 1))

    assert response.status_code == 413
    assert response.headers["connection"] == "close"
    assert response.json() == {
        "errors": [
            {
                "message": "the request body is larger than the limit of 1024 bytes",
                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
            }
        ]
    }


async def test_a_streamed_body_past_the_limit_is_refused_in_rest_shape() -> None:
    async with client() as http:
        response = await http.post("/api/items", content=chunks(10 * LIMIT))

    assert response.status_code == 413
    assert response.json() == {
        "error": "PAYLOAD_TOO_LARGE",
        "detail": "the request body is larger than the limit of 1024 bytes",
    }


async def test_a_streamed_body_within_the_limit_passes() -> None:
    async with client() as http:
        response = await http.post("/graphql", content=chunks(LIMIT))

    assert response.json() == {"received": LIMIT}


async def test_a_route_with_its_own_limit_takes_more_and_is_refused_past_its_own() -> None:
    app = Starlette(routes=[Route("/{path:path}", echo, methods=["POST"])])
    limited = BodyLimitMiddleware(app, LIMIT, {"/upload": 4 * LIMIT})
    transport = httpx.ASGITransport(app=limited)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        taken = await http.post("/upload", content=chunks(3 * LIMIT))
        elsewhere = await http.post("/api/items", content=chunks(3 * LIMIT))
        streamed = await http.post("/upload", content=chunks(5 * LIMIT))
        declared = await http.post("/upload", content=b"x" * (4 * LIMIT + 1))

    assert taken.json() == {"received": 3 * LIMIT}
    assert elsewhere.status_code == 413
    assert streamed.status_code == declared.status_code == 413
    assert streamed.json()["detail"] == "the request body is larger than the limit of 4096 bytes"
