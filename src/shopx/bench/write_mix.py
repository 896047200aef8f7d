"""``write_mix`` and ``write_storm``: order writes among cached reads, each write checked.

``write_mix``: cached reads, one order write per 100 reads, and a check after each write.

wrk cannot make a read depend on the write before it, so this scenario has its own load
generator: virtual users on asyncio streams (:mod:`shopx.bench.client`). Each user owns a
customer (nobody else writes its orders) and a well-stocked product, and loops: 100 reads
of cached dashboard answers, one ``createOrder`` (COMPLETED, 1 unit), then at once a read
of its customer's ``orderCount`` through the cache, which must be one more than before
the write; otherwise it is a *stale read*. The write goes out on the user's second
connection, so with several server workers the check often lands on another process
than the write did.

Throughput, latency and the cache hit rate are those of the reads of dashboard answers
that start after the warm-up and end within the measured seconds, as wrk counts them.
Writes are reported apart (their p95 over those started in the measured seconds, however
long they took), and so are the checks: a check always follows a write of its own
customer, so it is computed anew by design, and counted among the reads it would make
them look slower the more writes go through (it did: 75% of the storm's "reads" were
checks at 64 writers).

``write_storm``: ``--connections`` writers (up to :data:`MAX_WRITERS`) each placing orders of
1 to 5 lines one after another, each checked the same way, beside :data:`STORM_READERS`
users reading the cached dashboard answers without pause: the write throughput (orders/s),
the write latency, and the reads' latency and hit rate while the writes invalidate them.

Errors (HTTP status, GraphQL ``errors``, broken connections), writes, checks and stale
reads count from the first request, warm-up included: a stale read is never noise to warm
up past.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from shopx.bench.client import Connection, Response, Target, bench_target, run_load
from shopx.bench.errors import BenchError
from shopx.bench.results import CacheCounts, LoadResult, WriteStats, nearest_rank
from shopx.bench.scenarios import (
    DASHBOARD_QUERY,
    NO_CACHE_HEADER,
    OVERVIEW_QUERY,
    TOP_PRODUCTS_QUERY,
    Scenario,
    graphql_payload,
)

READS_PER_WRITE = 100
MAX_USERS = 32
MAX_WRITERS = 100
"""At most one page of customers (one per writer)."""
STORM_READERS = 8
STORM_PRODUCTS = 50
"""Products the storm's orders take their lines from (the most stocked)."""
MAX_LINES = 5
MIN_STOCK = 1_000
STORM_STOCK = 1_000_000
"""Products with less are restocked to this before the run: a write must not fail for stock."""
MAX_FAILURES_IN_A_ROW = 20

READS = tuple(
    orjson.dumps(graphql_payload(query, {"period": period}))
    for query, period in (
        (DASHBOARD_QUERY, "MONTH"),
        (OVERVIEW_QUERY, "TODAY"),
        (TOP_PRODUCTS_QUERY, "MONTH"),
    )
)
ORDER_COUNT_QUERY = "query OrderCount($id: ID!) { customer(id: $id) { orderCount } }"
CREATE_ORDER = """mutation CreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) { id }
}"""
CREATE_ORDERS = """mutation CreateOrders($input: CreateOrdersInput!) {
  createOrders(input: $input) { created failed }
}"""
BULK_ORDERS = 100
"""Orders per ``createOrders`` call in ``bulk_orders``."""
CUSTOMERS_QUERY = """query BenchCustomers($first: Int!) {
  customers(first: $first, sort: {field: ID, direction: ASC}, filter: {isActive: true}) {
    edges { node { id orderCount } }
  }
}"""
STOCKED_PRODUCTS_QUERY = """query BenchProducts($first: Int!) {
  products(first: $first, sort: {field: STOCK, direction: DESC}, filter: {isActive: true}) {
    edges { node { id stockQuantity } }
  }
}"""
RESTOCK = """mutation Restock($input: UpdateProductInput!) {
  updateProduct(input: $input) { id }
}"""
READ_CYCLE = tuple(READS[i % len(READS)] for i in range(READS_PER_WRITE))
NO_CACHE = f"{NO_CACHE_HEADER[0]}: {NO_CACHE_HEADER[1]}\r\n".encode()
HITS = (b"HIT-L1", b"HIT-L2")


def user_count(connections: int) -> int:
    return max(1, min(connections, MAX_USERS))


def writer_count(connections: int) -> int:
    return max(1, min(connections, MAX_WRITERS))


@dataclass(frozen=True)
class Mix:
    """What the users do: reads between writes, lines per order, users that only read."""

    reads_per_write: int
    max_lines: int
    readers: int
    stock: int
    orders_per_write: int = 1
    """More than one: each write is a ``createOrders`` call of that many orders."""


WRITE_MIX = Mix(READS_PER_WRITE, max_lines=1, readers=0, stock=MIN_STOCK)
WRITE_STORM = Mix(0, max_lines=MAX_LINES, readers=STORM_READERS, stock=STORM_STOCK)
WRITES_ONLY = Mix(0, max_lines=MAX_LINES, readers=0, stock=STORM_STOCK)
BULK_STORM = Mix(
    0, max_lines=MAX_LINES, readers=STORM_READERS, stock=STORM_STOCK, orders_per_write=BULK_ORDERS
)


def run_write_mix(
    base_url: str,
    scenario: Scenario,
    *,
    users: int,
    duration: float,
    warmup: float,
    secret: str,
    mix: Mix = WRITE_MIX,
) -> LoadResult:
    """Run ``users`` writing users (and the mix's readers) for ``warmup + duration`` seconds
    against the API."""
    target = bench_target(base_url, scenario, secret)
    return run_load(_run(target, users, duration, warmup, mix))


@dataclass
class _Tally:
    """What all users measured; samples and cache sources only between the two times."""

    measure_from: float
    until: float
    read_ms: list[float] = field(default_factory=list)
    write_ms: list[float] = field(default_factory=list)
    check_ms: list[float] = field(default_factory=list)
    measured_writes: int = 0
    """Orders of the writes that started and ended within the measured seconds."""
    sources: dict[bytes, int] = field(default_factory=dict)
    errors: int = 0
    writes: int = 0
    checks: int = 0
    stale_reads: int = 0

    def read(self, started: float, finished: float, response: Response) -> None:
        if self.measure_from <= started and finished <= self.until:
            self.read_ms.append((finished - started) * 1000)
            source = response.headers.get(b"x-cache", b"")
            self.sources[source] = self.sources.get(source, 0) + 1

    def checked(self, started: float, finished: float) -> None:
        if self.measure_from <= started and finished <= self.until:
            self.check_ms.append((finished - started) * 1000)

    def wrote(self, started: float, elapsed_ms: float, orders: int) -> None:
        self.writes += 1
        if started >= self.measure_from:
            self.write_ms.append(elapsed_ms)
            if started + elapsed_ms / 1000 <= self.until:
                self.measured_writes += orders

    def result(self) -> LoadResult:
        duration_s = self.until - self.measure_from
        reads = sorted(self.read_ms)
        writes = sorted(self.write_ms)
        return LoadResult(
            requests=len(reads),
            duration_s=duration_s,
            rps=len(reads) / duration_s,
            p50_ms=nearest_rank(reads, 50),
            p95_ms=nearest_rank(reads, 95),
            p99_ms=nearest_rank(reads, 99),
            errors=self.errors,
            cache=CacheCounts(
                hit_l1=self.sources.get(b"HIT-L1", 0),
                hit_l2=self.sources.get(b"HIT-L2", 0),
                miss=self.sources.get(b"MISS", 0),
            ),
            writes=WriteStats(
                writes=self.writes,
                p50_ms=nearest_rank(writes, 50),
                p95_ms=nearest_rank(writes, 95),
                per_second=self.measured_writes / duration_s,
                checks=self.checks,
                stale_reads=self.stale_reads,
                check_p95_ms=nearest_rank(sorted(self.check_ms), 95),
            ),
        )


async def _run(target: Target, users: int, duration: float, warmup: float, mix: Mix) -> LoadResult:
    setup = target.connection()
    try:
        customers = await _customers(setup, target.path, users)
        wanted = max(len(customers), STORM_PRODUCTS if mix.max_lines > 1 else 0)
        products = await _stocked_products(setup, target.path, wanted, mix.stock)
    finally:
        setup.close()
    measure_from = time.perf_counter() + warmup
    tally = _Tally(measure_from, until=measure_from + duration)
    team = [
        _User(target, customer, order_count, _lines(products, i, mix.max_lines), tally, mix)
        for i, (customer, order_count) in enumerate(customers)
    ]
    readers = [_Reader(target, tally) for _ in range(mix.readers)]
    try:
        await asyncio.gather(
            *(user.run(tally.until) for user in team),
            *(reader.run(tally.until) for reader in readers),
        )
    finally:
        for user in (*team, *readers):
            user.close()
    return tally.result()


def _lines(products: Sequence[str], user: int, most: int) -> list[str]:
    """The products of a user's order: 1 to ``most`` lines (by user), spread over the pool."""
    count = 1 + user % most
    return [products[(user * most + k) % len(products)] for k in range(count)]


class _User:
    def __init__(
        self,
        target: Target,
        customer: str,
        order_count: int,
        products: list[str],
        tally: _Tally,
        mix: Mix,
    ) -> None:
        self.target, self.customer, self.tally = target, customer, tally
        self.expected = order_count
        self.reads = target.connection()
        self.writes = target.connection()
        self.cycle = READ_CYCLE[: mix.reads_per_write]
        self.check = orjson.dumps(graphql_payload(ORDER_COUNT_QUERY, {"id": customer}))
        order = {
            "customerId": customer,
            "items": [{"productId": product, "quantity": 1} for product in products],
            "status": "COMPLETED",
        }
        self.orders = mix.orders_per_write
        if self.orders == 1:
            self.order = orjson.dumps(graphql_payload(CREATE_ORDER, {"input": order}))
        else:
            bulk = {"input": {"orders": [order] * self.orders}}
            self.order = orjson.dumps(graphql_payload(CREATE_ORDERS, bulk))
        self.failures_in_a_row = 0

    async def run(self, until: float) -> None:
        while True:
            for body in self.cycle:
                if time.perf_counter() >= until:
                    return
                await self._read(body)
            if time.perf_counter() >= until:
                return
            await self._write_and_check()

    def close(self) -> None:
        self.reads.close()
        self.writes.close()

    async def _read(self, body: bytes) -> None:
        """A dashboard answer, timed and its ``X-Cache`` counted (a hit holds no errors)."""
        started = time.perf_counter()
        response = await self._send(self.reads, body)
        if response is None:
            return
        self.tally.read(started, time.perf_counter(), response)
        if response.headers.get(b"x-cache") not in HITS:
            self._data(response)

    async def _write_and_check(self) -> None:
        started = time.perf_counter()
        response = await self._send(self.writes, self.order)
        written = self._data(response) if response is not None else None
        if written is None:
            await self._resync()
            return
        placed = written["createOrders"]["created"] if "createOrders" in written else 1
        self.tally.wrote(started, (time.perf_counter() - started) * 1000, placed)
        self.expected += placed
        checking = time.perf_counter()
        response = await self._send(self.reads, self.check)
        data = self._data(response) if response is not None else None
        if data is None:
            return
        self.tally.checked(checking, time.perf_counter())
        self.tally.checks += 1
        if data["customer"]["orderCount"] != self.expected:
            self.tally.stale_reads += 1

    async def _resync(self) -> None:
        """After a failed write: the customer's count as the database has it (untimed)."""
        response = await self._send(self.reads, self.check, NO_CACHE)
        data = self._data(response) if response is not None else None
        if data is not None:
            self.expected = data["customer"]["orderCount"]

    async def _send(
        self, connection: Connection, body: bytes, headers: bytes = b""
    ) -> Response | None:
        try:
            response = await connection.post(self.target.path, body, headers)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            self._failed(exc)
            return None
        self.failures_in_a_row = 0
        return response

    def _data(self, response: Response) -> dict[str, Any] | None:
        """``data`` of a 200 answer without ``errors``; None (and an error counted) otherwise."""
        if response.status == 200:
            answer = orjson.loads(response.body)
            if "errors" not in answer and isinstance(answer.get("data"), dict):
                return answer["data"]
        self.tally.errors += 1
        return None

    def _failed(self, exc: BaseException) -> None:
        self.tally.errors += 1
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            raise BenchError(f"write_mix: the API stopped answering ({exc!r})") from exc


class _Reader(_User):
    """A user that only reads the cached dashboard answers, without pause."""

    def __init__(self, target: Target, tally: _Tally) -> None:
        self.target, self.tally = target, tally
        self.reads = self.writes = target.connection()
        self.failures_in_a_row = 0

    async def run(self, until: float) -> None:
        while True:
            for body in READS:
                if time.perf_counter() >= until:
                    return
                await self._read(body)

    def close(self) -> None:
        self.reads.close()


async def _graphql(
    connection: Connection, path: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """``data`` of a setup request, computed afresh; a BenchError when there is none."""
    body = orjson.dumps(graphql_payload(query, variables))
    try:
        response = await connection.post(path, body, NO_CACHE)
    except (OSError, asyncio.IncompleteReadError) as exc:
        raise BenchError(f"write_mix: the API did not answer ({exc!r})") from exc
    answer = orjson.loads(response.body) if response.status == 200 else {}
    if "errors" in answer or not isinstance(answer.get("data"), dict):
        shown = response.body[:500].decode(errors="replace")
        raise BenchError(f"write_mix setup failed ({response.status}): {shown}")
    return answer["data"]


async def _customers(connection: Connection, path: str, users: int) -> list[tuple[str, int]]:
    """(id, orderCount) of one active customer per user."""
    data = await _graphql(connection, path, CUSTOMERS_QUERY, {"first": users})
    found = [(e["node"]["id"], e["node"]["orderCount"]) for e in data["customers"]["edges"]]
    if not found:
        raise BenchError("write_mix needs customers: seed the database first")
    return found


async def _stocked_products(
    connection: Connection, path: str, wanted: int, stock: int
) -> Sequence[str]:
    """Ids of the products with the most stock, restocked to ``stock`` where below it."""
    data = await _graphql(connection, path, STOCKED_PRODUCTS_QUERY, {"first": wanted})
    nodes = [edge["node"] for edge in data["products"]["edges"]]
    if not nodes:
        raise BenchError("write_mix needs products: seed the database first")
    for node in nodes:
        if node["stockQuantity"] < stock:
            restock = {"input": {"id": node["id"], "stockQuantity": stock}}
            await _graphql(connection, path, RESTOCK, restock)
    return [node["id"] for node in nodes]
