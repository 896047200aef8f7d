"""``shopInfo`` and ``me``: what a client learns before it shows a number."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shopx import __version__
from shopx.auth import Role, create_token
from tests.api import api_client

SHOP = "{ shopInfo { name currency timezone revenueStatuses version anonymousReads } }"
ME = "{ me { subject role permissions } }"


async def test_shop_info_is_the_configured_shop_for_anyone(database_url):
    settings = {
        "shop_name": "Corner Books",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "revenue_statuses": ("COMPLETED", "PROCESSING"),
        "anonymous_reads": False,
    }
    async with api_client(database_url, **settings) as client:
        data = await client.data(SHOP, role=None)

    assert data["shopInfo"] == {
        "name": "Corner Books",
        "currency": "EUR",
        "timezone": "Europe/Berlin",
        "revenueStatuses": ["COMPLETED", "PROCESSING"],
        "version": __version__,
        "anonymousReads": False,
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, ["DASHBOARD_READ", "ANALYTICS_READ", "WRITE"]),
        (Role.ANALYST, ["DASHBOARD_READ", "ANALYTICS_READ"]),
        (Role.VIEWER, ["DASHBOARD_READ"]),
    ],
)
async def test_me_is_the_token_holder_with_the_grants_of_its_role(database_url, role, expected):
    async with api_client(database_url) as client:
        token = create_token(
            client.settings.jwt_secret(), role, ttl=timedelta(hours=1), subject="dana@shop.test"
        )
        response = await client.http.post(
            "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
        )

    assert response.json()["data"] == {
        "me": {"subject": "dana@shop.test", "role": role.name, "permissions": expected}
    }


@pytest.mark.parametrize(
    ("anonymous_reads", "expected"), [(True, ["DASHBOARD_READ", "ANALYTICS_READ"]), (False, [])]
)
async def test_me_without_a_token_is_anonymous_with_what_anonymous_reads_allow(
    database_url, anonymous_reads, expected
):
    async with api_client(database_url, anonymous_reads=anonymous_reads) as client:
        data = await client.data(ME, role=None)

    assert data["me"] == {"subject": "anonymous", "role": None, "permissions": expected}


async def test_me_with_a_bad_token_is_unauthenticated(database_url):
    async with api_client(database_url, anonymous_reads=True) as client:
        response = await client.http.post(
            "/graphql", json={"query": ME}, headers={"authorization": "Bearer not-a-token"}
        )

    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body.get("data") is None


async def test_me_is_never_answered_from_another_callers_cache_entry(database_url):
    """The response cache keys answers by role, not by subject: ``me`` must not be cached."""
    async with api_client(database_url) as client:
        subjects = []
        for subject in ("first@shop.test", "second@shop.test"):
            token = create_token(
                client.settings.jwt_secret(), Role.ANALYST, ttl=timedelta(hours=1), subject=subject
            )
            response = await client.http.post(
                "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
            )
            subjects.append(response.json()["data"]["me"]["subject"])

    assert subjects == ["first@shop.test", "second@shop.test"]


async def test_a_page_with_shop_info_is_answered_from_the_cache(database_url):
    """A dashboard page asks for ``shopInfo`` with its numbers in one request; that request
    must still be answerable from the response cache."""
    page = "{ shopInfo { name currency } salesOverview { totalOrders } }"
    async with api_client(database_url, anonymous_reads=True) as client:
        sources = []
        for _ in range(2):
            response = await client.http.post("/graphql", json={"query": page})
            assert response.status_code == 200 and "errors" not in response.json()
            sources.append(response.headers.get("x-cache"))
    assert sources == ["MISS", "HIT-L1"]
