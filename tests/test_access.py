"""Each role against a dashboard read, an analytics read and a mutation."""

from __future__ import annotations

import pytest

from shopx.auth import Role
from tests.api import api_client

DASHBOARD_READ = "{ salesOverview { totalRevenue } }"
ANALYTICS_READ = "{ marginAnalysis(groupBy: REGION) { groupName } }"
WRITE = 'mutation { createCategory(input: {name: "Garden"}) { id } }'
OK = None

MATRIX = [
    # role, anonymous reads, dashboard read, analytics read, write
    (Role.ADMIN, False, OK, OK, OK),
    (Role.ANALYST, False, OK, OK, "FORBIDDEN"),
    (Role.VIEWER, False, OK, "FORBIDDEN", "FORBIDDEN"),
    (None, False, "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"),
    (None, True, OK, OK, "UNAUTHENTICATED"),
]


def _code(body: dict) -> str | None:
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


@pytest.mark.parametrize(("role", "anonymous", "dashboard", "analytics", "write"), MATRIX)
async def test_roles(database_url, role, anonymous, dashboard, analytics, write):
    async with api_client(database_url, anonymous_reads=anonymous) as client:
        assert _code(await client.graphql(DASHBOARD_READ, role=role)) == dashboard
        assert _code(await client.graphql(ANALYTICS_READ, role=role)) == analytics
        assert _code(await client.graphql(WRITE, role=role)) == write


async def test_a_bad_token_is_unauthenticated_even_with_anonymous_reads(database_url):
    async with api_client(database_url, anonymous_reads=True) as client:
        response = await client.http.post(
            "/graphql",
            json={"query": DASHBOARD_READ},
            headers={"authorization": "Bearer not-a-token"},
        )
    assert _code(response.json()) == "UNAUTHENTICATED"


async def test_errors_carry_no_stack_trace(database_url):
    async with api_client(database_url) as client:
        body = await client.graphql("{ salesOverview(period: CUSTOM) { totalRevenue } }")
    error = body["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "Traceback" not in str(body)
