"""``deploy/`` on loopback with the real engines (:mod:`tests.loopback`): nginx in front of
three API instances on a PostgreSQL primary and its streaming replica, Redis, and a Celery
worker on RabbitMQ. Every request goes through nginx, and nginx's access log
(``$upstream_addr``) says which instance answered it.

It proves: reads reach every instance; a write is read fresh through nginx on the next
request, on another instance; an instance killed while reads run costs no read, and once
restarted it answers again; analytics reads run on the replica, and the writer's next read
still shows its write, stamped with a ``dataAsOf`` no older than it; nginx serves the
dashboard's files with their cache lifetimes, gzipped, and passes the subscription's
WebSocket through.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from websockets.sync.client import connect

from shopx.db.engine import create_engine
from tests.loopback import Access, Stack, scaled_out, shopx
from tests.mutations import CREATE_ORDER

pytestmark = pytest.mark.postgres

DEADLINE = 60.0
"""How long an instance may take to rejoin, a bound rather than a speed check."""
OVERVIEW = "query Overview { salesOverview(period: MONTH) { totalRevenue totalOrders dataAsOf } }"
CUSTOMER = "query Customer($id: ID!) { customer(id: $id) { orderCount } }"
PRODUCTS = """query Stock {
  products(first: 50, filter: {isActive: true, inStock: true}) {
    edges { node { id stockQuantity } }
  }
}"""
CUSTOMERS = "query Customers { customers(first: 1) { edges { node { id } } } }"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with scaled_out(instances=3) as started:
        yield started


def _get(client: httpx.Client, stack: Stack, query: str, tag: str, **variables: Any) -> Any:
    """A read sent as GET /graphql (nginx retries a GET even when its instance died while
    answering it); ``tag`` marks it in nginx's access log."""
    params = {"query": query, "tag": tag}
    if variables:
        params["variables"] = json.dumps(variables)
    response = client.get(f"{stack.base_url}/graphql", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def _post(client: httpx.Client, stack: Stack, query: str, tag: str, **variables: Any) -> Any:
    """A mutation, as an admin; ``tag`` marks it in nginx's access log."""
    headers = {"Authorization": f"Bearer {stack.token}"}
    payload = {"query": query, "variables": variables}
    url = f"{stack.base_url}/graphql?tag={tag}"
    response = client.post(url, json=payload, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def _tagged(stack: Stack, tag: str) -> list[Access]:
    return [access for access in stack.accesses() if f"tag={tag}" in access.uri]


def _logged(stack: Stack, tag: str, count: int) -> list[Access]:
    """The accesses tagged ``tag`` once nginx has logged ``count`` of them: nginx writes a
    request's line after it has sent the answer, so a client can read it first."""
    _until(lambda: len(_tagged(stack, tag)) >= count, f"{count} logged requests")
    return _tagged(stack, tag)


def _answered_by(accesses: list[Access]) -> set[str]:
    return {access.upstreams[-1] for access in accesses}


def _instances(stack: Stack) -> set[str]:
    return {f"127.0.0.1:{port}" for port in stack.ports}


def _new_tag() -> str:
    return uuid.uuid4().hex[:12]


def test_reads_through_nginx_are_answered_by_every_instance(stack):
    """least_conn spreads one client's reads over the instances; one that answered slowly
    (a loaded machine) may be passed over for a while, so reads go on until each has
    answered, within a bound."""
    tag = _new_tag()
    with httpx.Client(timeout=30) as client:
        for sent in range(1, 61):
            _get(client, stack, OVERVIEW, tag)
            if sent % 12 == 0 and _answered_by(_tagged(stack, tag)) == _instances(stack):
                break
    accesses = _logged(stack, tag, sent)
    assert len(accesses) == sent
    assert _answered_by(accesses) == _instances(stack)


def _sale(client: httpx.Client, stack: Stack) -> dict[str, Any]:
    """An order input: one unit of the product with the most stock, completed."""
    products = _get(client, stack, PRODUCTS, "setup")["products"]["edges"]
    product = max(products, key=lambda edge: edge["node"]["stockQuantity"])["node"]
    customer = _get(client, stack, CUSTOMERS, "setup")["customers"]["edges"][0]["node"]["id"]
    order = {
        "customerId": customer,
        "items": [{"productId": product["id"], "quantity": 1}],
        "status": "COMPLETED",
    }
    return order


def test_a_write_through_nginx_is_read_fresh_through_nginx_on_the_next_request(stack):
    tag = _new_tag()
    with httpx.Client(timeout=30) as client:
        order = _sale(client, stack)
        customer = order["customerId"]
        for _ in range(6):
            before = _get(client, stack, OVERVIEW, tag)["salesOverview"]
            count = _get(client, stack, CUSTOMER, tag, id=customer)["customer"]["orderCount"]
            made = _post(client, stack, CREATE_ORDER, tag, input=order)["createOrder"]
            after = _get(client, stack, OVERVIEW, tag)["salesOverview"]
            assert Decimal(after["totalRevenue"]) - Decimal(before["totalRevenue"]) == Decimal(
                made["totalAmount"]
            )
            assert after["totalOrders"] == before["totalOrders"] + 1
            fresh = _get(client, stack, CUSTOMER, tag, id=customer)["customer"]["orderCount"]
            assert fresh == count + 1
            # dataAsOf: the commit time of the newest write the answer reflects.
            assert datetime.fromisoformat(after["dataAsOf"]) >= datetime.fromisoformat(
                made["orderDate"]
            )
    accesses = _logged(stack, tag, 6 * 5)
    writes = [i for i, access in enumerate(accesses) if access.method == "POST"]
    assert len(writes) == 6
    # The write and the read right after it were answered by different instances (and
    # every instance answered some of them).
    assert any(accesses[i].upstreams != accesses[i + 1].upstreams for i in writes)
    assert _answered_by(accesses) == _instances(stack)


CUT_BODY = "without sending complete message body"
"""httpx's words for an answer whose headers came and whose body stopped short."""


class Reader(threading.Thread):
    """Sends GET reads through nginx until stopped; keeps every failure, and counts apart
    the reads cut after their headers (``cut``)."""

    def __init__(self, stack: Stack, tag: str) -> None:
        super().__init__(daemon=True)
        self.stack, self.tag = stack, tag
        self.stopping = threading.Event()
        self.reads, self.cut, self.failures = 0, 0, list[str]()

    def run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self.stopping.is_set():
                try:
                    _get(client, self.stack, OVERVIEW, self.tag)
                    self.reads += 1
                except httpx.RemoteProtocolError as exc:
                    if CUT_BODY in str(exc):
                        self.cut += 1
                    else:
                        self.failures.append(repr(exc))
                except (AssertionError, httpx.HTTPError) as exc:
                    self.failures.append(repr(exc))

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE:g} s"
        time.sleep(0.05)


def test_an_instance_killed_under_reads_loses_none_and_rejoins_once_restarted(stack):
    tag = _new_tag()
    victim = stack.ports[1]
    address = f"127.0.0.1:{victim}"
    readers = [Reader(stack, tag) for _ in range(4)]
    for reader in readers:
        reader.start()
    try:
        _until(lambda: address in _answered_by(_tagged(stack, tag)), "read on the victim")
        stack.kill(victim)
        killed_at = len(_tagged(stack, tag))
        # nginx meets the dead instance (a refused connection) and hands the read on.
        _until(
            lambda: any(len(a.upstreams) > 1 for a in _tagged(stack, tag)[killed_at:]),
            "read retried on another instance",
        )
        stack.start(victim)
        restarted_at = len(_tagged(stack, tag))
        _until(
            lambda: address in _answered_by(_tagged(stack, tag)[restarted_at:]),
            "read answered by the restarted instance",
        )
    finally:
        for reader in readers:
            reader.stop()
    assert [failure for reader in readers for failure in reader.failures] == []
    # nginx retries a read only while nothing of its answer has gone to the client: a read
    # whose headers were passed on when the instance died is the kill's own, one per reader
    # at most, answered by the victim and logged once it died (nginx logs a request when
    # it ends), before it was started again.
    assert all(reader.cut <= 1 for reader in readers)
    cut = sum(reader.cut for reader in readers)
    reads = sum(reader.reads for reader in readers)
    accesses = _logged(stack, tag, reads + cut)
    assert all(access.status == 200 for access in accesses)
    assert reads + cut == len(accesses)
    around_kill = accesses[max(killed_at - len(readers), 0) : restarted_at]
    assert sum(access.upstreams[-1] == address for access in around_kill) >= cut


STATEMENTS = """
SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
WHERE query ILIKE '%order%' AND query NOT ILIKE '%pg_stat_statements%'
"""


async def _analytics_statements(url: str) -> int:
    """Statements run on the server at ``url`` that read orders or their rollups."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text(STATEMENTS))).scalar_one())
    finally:
        await engine.dispose()


async def test_analytics_reads_run_on_the_replica_and_the_writer_reads_its_write(stack):
    primary, replica = stack.postgres.primary.url(), stack.postgres.replica.url()
    tag = _new_tag()
    on_primary, on_replica = (
        await _analytics_statements(primary),
        await _analytics_statements(replica),
    )
    # Computed, not answered from the response cache: a token holder's no-cache.
    uncached = {"Authorization": f"Bearer {stack.token}", "Cache-Control": "no-cache"}
    with httpx.Client(timeout=30, headers=uncached) as client:
        for _ in range(9):
            _get(client, stack, OVERVIEW, tag)
        assert await _analytics_statements(primary) == on_primary
        assert await _analytics_statements(replica) >= on_replica + 9

        # Each write's next reads, computed on the replica, show it.
        order = _sale(client, stack)
        for _ in range(10):
            before = _get(client, stack, OVERVIEW, tag)["salesOverview"]
            made = _post(client, stack, CREATE_ORDER, tag, input=order)["createOrder"]
            seen = _get(client, stack, f'query {{ order(id: "{made["id"]}") {{ id }} }}', tag)
            assert seen["order"] == {"id": made["id"]}
            after = _get(client, stack, OVERVIEW, tag)["salesOverview"]
            assert after["totalOrders"] == before["totalOrders"] + 1
            assert datetime.fromisoformat(after["dataAsOf"]) >= datetime.fromisoformat(
                made["orderDate"]
            )


def test_a_job_queued_on_rabbitmq_runs_in_the_worker(stack):
    said = shopx(stack.env, "jobs", "run", "segments", "--wait")
    assert "segments: succeeded" in said


def test_nginx_serves_the_dashboard_with_its_cache_lifetimes_gzipped(stack):
    with httpx.Client(timeout=30) as client:
        index = client.get(f"{stack.base_url}/")
        route = client.get(f"{stack.base_url}/products/42?period=MONTH")
        asset = client.get(f"{stack.base_url}/assets/app-3f2a9c.js")
        missing = client.get(f"{stack.base_url}/assets/app-000000.js")
        api_404 = client.get(f"{stack.base_url}/api/v1/nothing-here")
    assert index.status_code == route.status_code == 200
    assert index.text == route.text and "/assets/app-3f2a9c.js" in index.text
    assert index.headers["cache-control"] == route.headers["cache-control"] == "no-cache"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-encoding"] == "gzip"
    assert asset.text.startswith("export const shop")
    assert missing.status_code == 404
    assert api_404.status_code == 404 and api_404.json()["error"]


def test_a_subscription_goes_through_nginx_over_websocket(stack):
    url = stack.base_url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=30) as socket:
        socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(socket.recv(timeout=30))["type"] == "connection_ack"
        query = "subscription { metricsUpdated(period: MONTH) { totalOrders } }"
        socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        first = json.loads(socket.recv(timeout=30))
    assert first["type"] == "next"
    assert first["payload"]["data"]["metricsUpdated"]["totalOrders"] >= 0


REPLICA_LAG_MS = 600
"""How far behind the replica applies commits in the lagging test: below the bounded wait
a write may spend on the replica, above what a write and a read take without one."""


def test_a_lagging_replica_still_shows_the_writer_its_write(stack):
    tag = _new_tag()
    uncached = {"Authorization": f"Bearer {stack.token}", "Cache-Control": "no-cache"}
    with stack.postgres.replica_lagging(REPLICA_LAG_MS), httpx.Client(timeout=30) as client:
        order = _sale(client, stack)
        for _ in range(3):
            before = _get(client, stack, OVERVIEW, tag)["salesOverview"]
            made = _post(client, stack, CREATE_ORDER, tag, input=order)["createOrder"]
            after = _get(client, stack, OVERVIEW, tag)["salesOverview"]
            assert after["totalOrders"] == before["totalOrders"] + 1
            assert datetime.fromisoformat(after["dataAsOf"]) >= datetime.fromisoformat(
                made["orderDate"]
            )
            query = f'query {{ order(id: "{made["id"]}") {{ id }} }}'
            response = client.get(
                f"{stack.base_url}/graphql", params={"query": query}, headers=uncached
            )
            assert response.json()["data"]["order"] == {"id": made["id"]}
