"""Concurrent writers on the embedded default (SQLite) through a real ``shopx serve``: no
write fails because another is running, and every order lands exactly once.

Before writes took their turn (a writer lock per process, BEGIN IMMEDIATE across
processes), some of sixteen concurrent ``createOrder`` got "database is locked".
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from shopx.auth import Role, create_token
from shopx.bench.processes import free_port, running_server
from shopx.bench.runner import api_command
from shopx.db.engine import session_factory
from shopx.db.models import Order
from tests.mutations import CREATE_ORDER, build_shop, order_input
from tests.test_pool_concurrency import SECRET, server_env

WRITERS = 16
ORDERS_EACH = 5


async def _writer(client: httpx.AsyncClient, customer: int, product: int) -> list[object]:
    """Creates ``ORDERS_EACH`` orders one after another; returns their ids or errors."""
    landed: list[object] = []
    for _ in range(ORDERS_EACH):
        payload = {
            "query": CREATE_ORDER,
            "variables": {"input": order_input(customer, (product, 1))},
        }
        response = await client.post("/graphql", json=payload)
        body = response.json() if response.status_code == 200 else {"errors": [response.text]}
        landed.append(body["data"]["createOrder"]["id"] if body.get("data") else body["errors"])
    return landed


@pytest.mark.parametrize("dialect", ["sqlite"])
@pytest.mark.parametrize("workers", [1, 2])
async def test_concurrent_order_writers_all_land_exactly_once(
    engine, database_url: str, tmp_path: Path, workers: int
) -> None:
    shop = await build_shop(engine, stock=WRITERS * ORDERS_EACH)
    token = create_token(SECRET, Role.ADMIN, ttl=timedelta(hours=1), subject="writers")
    port = free_port()
    env = server_env(database_url, tmp_path)
    with running_server("the API", api_command(port, workers), port=port, env=env) as server:
        async with httpx.AsyncClient(
            base_url=server.base_url,
            headers={"authorization": f"Bearer {token}"},
            limits=httpx.Limits(max_connections=WRITERS),
            timeout=120,
        ) as client:
            results = await asyncio.gather(
                *(_writer(client, shop.north, shop.cap) for _ in range(WRITERS))
            )

    landed = [result for writer in results for result in writer]
    assert [result for result in landed if not isinstance(result, str)] == []
    async with session_factory(engine)() as session:
        stored = (await session.scalars(select(Order.id))).all()
        count = await session.scalar(select(func.count()).select_from(Order))
    assert sorted(int(order_id) for order_id in landed) == sorted(stored)
    assert count == len(stored) == WRITERS * ORDERS_EACH
