"""A database that fails under a request (here: one with no tables) gives the caller a
GraphQL answer with a code and a reason, never SQL, a stack trace or a bare 500."""

from __future__ import annotations

import pytest

from shopx.auth import Role
from tests.api import api_client

LEAKS = ("SELECT", "sqlite", "sqlalchemy", "data_version", "Traceback")


@pytest.fixture
async def client(tmp_path):
    async with api_client(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}") as client:
        yield client


@pytest.mark.parametrize(
    "query", ["{ salesOverview { totalOrders } }", "{ dashboardOverview { generatedAt } }"]
)
async def test_a_cached_query_answers_service_unavailable(client, query):
    response = await client.http.post(
        "/graphql",
        json={"query": query},
        headers={"authorization": f"Bearer {client.token(Role.VIEWER)}"},
    )
    assert response.status_code == 503
    assert response.json() == {
        "errors": [
            {
                "message": "the database did not answer; retry later",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }


async def test_an_uncached_query_is_masked_as_internal(client):
    body = await client.graphql("{ shopInfo { name } }", role=Role.VIEWER)
    assert [error["extensions"]["code"] for error in body["errors"]] == ["INTERNAL_SERVER_ERROR"]
    assert not any(word in str(body) for word in LEAKS), body


async def test_a_bad_variable_is_still_the_callers_fault(client):
    body = await client.graphql(
        "mutation ($o: CreateOrderInput!) { createOrder(input: $o) { id } }",
        {"o": {"customerId": {"not": "an id"}, "items": []}},
        role=Role.ADMIN,
    )
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]
