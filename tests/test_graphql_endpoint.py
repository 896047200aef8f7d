"""The ``/graphql`` endpoint's own wiring: a POST goes straight to Strawberry's view (past
FastAPI's routing and dependency injection, which cost a request more than a cached answer
does), with FastAPI's error handling and gzip; GET (GraphiQL) still goes through FastAPI."""

from __future__ import annotations

from typing import Any

import fastapi.routing
import httpx

from shopx.api.graphql.router import ShopXGraphQLRouter
from tests.api import api_client

TYPENAME = {"query": "{ __typename }"}


async def test_a_post_is_answered_without_fastapis_dependency_injection(database_url, monkeypatch):
    solved: list[str] = []
    solve = fastapi.routing.solve_dependencies

    async def counting(*args: Any, **kwargs: Any) -> Any:
        solved.append(kwargs["request"].method)
        return await solve(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    async with api_client(database_url) as client:
        answer = await client.http.post("/graphql", json=TYPENAME)
        page = await client.http.get("/graphql", headers={"accept": "text/html"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"] == {"__typename": "Query"}
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert solved == ["GET"]


async def test_each_post_gets_a_sub_response_of_its_own(database_url, monkeypatch):
    """Strawberry's FastAPI router keeps the response resolvers may set headers on in one
    attribute of the router, which concurrent requests overwrite."""
    seen: list[Any] = []
    original = ShopXGraphQLRouter.get_context

    async def noting(self: ShopXGraphQLRouter, request: Any, response: Any) -> Any:
        seen.append(response)
        return await original(self, request, response)

    monkeypatch.setattr(ShopXGraphQLRouter, "get_context", noting)
    async with api_client(database_url) as client:
        for _ in range(2):
            assert (await client.http.post("/graphql", json=TYPENAME)).status_code == 200
    assert len(seen) == 2 and seen[0] is not seen[1]
    assert all(response.status_code is None for response in seen)


async def test_a_fault_in_the_view_answers_500_and_the_next_post_is_served(
    database_url, monkeypatch
):
    original = ShopXGraphQLRouter.run
    faults = [RuntimeError("a bug in the view")]

    async def failing_once(self: ShopXGraphQLRouter, *args: Any, **kwargs: Any) -> Any:
        if faults:
            raise faults.pop()
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(ShopXGraphQLRouter, "run", failing_once)
    async with api_client(database_url) as client:
        assert client.app is not None
        transport = httpx.ASGITransport(app=client.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            failed = await http.post("/graphql", json=TYPENAME)
            served = await http.post("/graphql", json=TYPENAME)
    assert failed.status_code == 500
    assert served.status_code == 200 and served.json()["data"] == {"__typename": "Query"}
