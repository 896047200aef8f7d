"""The response cache as clients meet it: hits, keys, freshness after writes, single flight,
several instances sharing Redis, and Redis going away and coming back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import event, text

from shopx.auth import Role
from shopx.bench.database import create_postgres_database, drop_postgres_database
from shopx.cache import remote as redis_side
from shopx.cache.documents import plan
from shopx.db.engine import sqlite_path
from shopx.db.migrate import upgrade_async
from tests.api import ApiClient, api_client, until
from tests.mutations import CREATE_ORDER, UPDATE_ORDER_STATUS, build_shop, order_input
from tests.services import REDIS_URL, need

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
EARLIER = "2026-11-21T09:00:00Z"
OVERVIEW = """query Overview($p: Period!) {
  salesOverview(period: $p) { totalRevenue totalOrders }
}"""
TOP = "query Top { topProducts(period: MONTH, limit: 5) { revenue product { id name } } }"
UPDATE_PRODUCT = "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }"


async def post(
    client: ApiClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    role: Role | None = Role.ANALYST,
    **headers: str,
) -> tuple[str | None, dict[str, Any]]:
    """(X-Cache, JSON body) of a GraphQL POST."""
    if role is not None:
        headers["authorization"] = f"Bearer {client.token(role)}"
    response = await client.http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.headers.get("x-cache"), response.json()


async def overview(client: ApiClient, period: str = "TODAY") -> tuple[str | None, dict]:
    cache, body = await post(client, OVERVIEW, {"p": period})
    return cache, body["data"]["salesOverview"]


def epoch(client: ApiClient) -> int:
    return client.app.state.cache.freshness.epoch


def kept_here(client: ApiClient, cache: str | None, since: int) -> bool:
    """Was an answer served as kept by this instance since epoch ``since``? From its
    in-process tier, or from Redis when its lease lapsed meanwhile: on a loaded machine an
    instance may not hear its own heartbeat within the lease, and it then drops every
    in-process answer (a new epoch), as it must."""
    return cache == "HIT-L1" or (cache == "HIT-L2" and epoch(client) != since)


async def completed_order(client: ApiClient, customer: int, *lines: tuple[int, int]) -> dict:
    order = order_input(customer, *lines, status="COMPLETED", orderDate=EARLIER)
    return (await client.data(CREATE_ORDER, {"input": order}))["createOrder"]


@asynccontextmanager
async def instance(database_url: str, **settings: Any) -> AsyncIterator[ApiClient]:
    """One API process (in-process app) with its own in-process cache tier."""
    async with api_client(database_url, now=NOW, **settings) as client:
        yield client


@asynccontextmanager
async def leased(database_url: str, redis_url: str) -> AsyncIterator[ApiClient]:
    """An instance listening to the invalidation channel (it serves pure in-process hits)."""
    async with instance(database_url, redis_url=redis_url) as client:
        freshness = client.app.state.cache.freshness
        await until(freshness.has_lease, "the invalidation listener")
        yield client


# -- keys and what is cached -------------------------------------------------------------


async def test_a_repeated_query_is_answered_from_the_process_tier(database_url):
    async with instance(database_url) as client:
        first = await post(client, OVERVIEW, {"p": "MONTH"})
        second = await post(client, OVERVIEW, {"p": "MONTH"})
    assert (first[0], second[0]) == ("MISS", "HIT-L1")
    assert first[1] == second[1]
    assert first[1]["data"]["salesOverview"] == {"totalRevenue": "0.00", "totalOrders": 0}


def test_normalized_documents_share_a_digest():
    spaced = "query Overview($p: Period!) {\n  # the KPIs\n  salesOverview(period: $p) {"
    spaced += " totalRevenue,  totalOrders } }"
    assert plan(OVERVIEW, None) == plan(spaced, None)
    assert plan(OVERVIEW, None) != plan(OVERVIEW.replace("totalOrders", "unitsSold"), None)
    assert plan("mutation { deleteProduct(id: 1) }", None) is None
    assert plan("{ __schema { queryType { name } } }", None) is None
    assert plan("{ salesOverview(period: MONTH) { totalOrders } ", None) is None  # no parse
    assert plan("query A { salesOverview { totalOrders } } query B { orders { totalCount } }", "B")


async def test_key_ignores_layout_and_variable_order_but_not_role_or_values(database_url):
    query = "query T($p: Period!, $l: Int) { topProducts(period: $p, limit: $l) { rank } }"
    relaid = "query T($p: Period!, $l: Int) {\n  topProducts(period: $p, limit: $l) {\n rank\n}}"
    async with instance(database_url) as client:
        assert (await post(client, query, {"p": "MONTH", "l": 3}))[0] == "MISS"
        assert (await post(client, relaid, {"l": 3, "p": "MONTH"}))[0] == "HIT-L1"
        assert (await post(client, query, {"p": "MONTH", "l": 3}, role=Role.ADMIN))[0] == "MISS"
        assert (await post(client, query, {"p": "MONTH", "l": 4}))[0] == "MISS"
        assert (await post(client, query, {"p": "YEAR", "l": 3}))[0] == "MISS"


async def test_errors_mutations_and_bad_callers_are_never_cached(database_url, engine):
    shop = await build_shop(engine)
    too_many = "{ topProducts(period: MONTH, limit: 1000) { rank } }"
    async with instance(database_url) as client:
        for _ in range(2):
            cache, body = await post(client, too_many)
            assert cache == "MISS" and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        response = await client.http.post(
            "/graphql",
            json={
                "query": CREATE_ORDER,
                "variables": {"input": order_input(shop.north, (shop.cap, 1))},
            },
            headers={"authorization": f"Bearer {client.token(Role.ADMIN)}"},
        )
        assert "x-cache" not in response.headers and "errors" not in response.json()
        for _ in range(2):
            cache, body = await post(client, OVERVIEW, {"p": "MONTH"}, role=None)
            assert cache is None  # no token and anonymous reads off: the API answers the error
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        forged = {"authorization": "Bearer not-a-token"}
        response = await client.http.post("/graphql", json={"query": TOP}, headers=forged)
        assert "x-cache" not in response.headers
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_no_cache_requests_compute_afresh(database_url):
    async with instance(database_url) as client:
        await post(client, OVERVIEW, {"p": "MONTH"})
        cache, _ = await post(client, OVERVIEW, {"p": "MONTH"}, **{"cache-control": "no-cache"})
        assert cache == "MISS"
        assert (await post(client, OVERVIEW, {"p": "MONTH"}))[0] == "HIT-L1"


async def test_large_answers_go_out_gzipped_when_the_client_accepts(database_url, engine):
    shop = await build_shop(engine)
    query = "{ products(first: 100) { edges { node { id name sku brand } } } }"
    async with instance(database_url) as client:
        for n in range(40):
            await client.data(
                "mutation($i: CreateProductInput!) { createProduct(input: $i) { id } }",
                {
                    "i": {
                        "sku": f"BULK-{n}",
                        "name": f"Bulk product number {n}",
                        "categoryId": str(shop.hats),
                        "costPrice": "1.00",
                        "sellingPrice": "2.00",
                    }
                },
            )
        headers = {
            "authorization": f"Bearer {client.token(Role.ANALYST)}",
            "accept-encoding": "gzip",
        }
        answers = []
        for _ in range(2):
            response = await client.http.post("/graphql", json={"query": query}, headers=headers)
            assert response.headers["content-encoding"] == "gzip"
            assert int(response.headers["content-length"]) < len(response.content)
            answers.append((response.headers["x-cache"], response.json()))
    assert [cache for cache, _ in answers] == ["MISS", "HIT-L1"]
    assert answers[0][1] == answers[1][1]
    assert len(answers[0][1]["data"]["products"]["edges"]) == 43


# -- freshness ----------------------------------------------------------------------------


async def test_a_write_shows_on_the_next_read(database_url, engine):
    shop = await build_shop(engine)
    async with instance(database_url) as client:
        _, before = await overview(client)
        for _ in range(3):  # read often enough to be worth recomputing after a write
            assert (await overview(client))[0] == "HIT-L1"
        responses = client.app.state.cache.responses
        computed = responses.computations
        order = await completed_order(client, shop.north, (shop.boot, 2))
        _, after = await overview(client)
        again, _ = await overview(client)
    # Recomputed once after the write, in the background: the read shared that run.
    assert responses.computations == computed + 1
    assert again == "HIT-L1"
    assert after["totalOrders"] == before["totalOrders"] + 1
    assert Decimal(after["totalRevenue"]) == Decimal(before["totalRevenue"]) + Decimal(
        order["totalAmount"]
    )


async def test_a_computed_answer_reads_the_write_counter_once_and_is_stamped_by_it(
    database_url, engine
):
    """The counter read before an answer is computed also gives its ``dataAsOf`` (when the
    last write it counts committed): one read per computed answer, not one per use. A
    query the cache does not keep still reads its stamp."""
    shop = await build_shop(engine)
    async with instance(database_url) as client:
        await completed_order(client, shop.north, (shop.boot, 1))
        reads: list[str] = []
        event.listen(
            client.app.state.read_engine.sync_engine,
            "before_cursor_execute",
            lambda *args: reads.append(args[2]) if "FROM data_version" in args[2] else None,
        )
        cache, body = await post(client, OVERVIEW, {"p": "TODAY"})
        assert cache == "MISS"
        assert len(reads) == 1
        kept_reads = len(reads)
        cache, body_uncached = await post(client, "query Typename { __typename }")
        assert cache is None
        assert len(reads) == kept_reads + 1
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT updated_at FROM data_version"))).scalar_one()
    written = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    expected = written.replace(tzinfo=UTC) if written.tzinfo is None else written
    for answer in (body, body_uncached):
        assert datetime.fromisoformat(answer["extensions"]["dataAsOf"]) == expected


async def test_trends_are_cached_per_comparison_and_a_write_a_year_back_shows(database_url, engine):
    shop = await build_shop(engine)
    trend = """query Trend($c: Comparison!) {
      salesTrends(period: TODAY, metric: REVENUE, compare: true, compareTo: $c) {
        label previousOrderCount
      }
    }"""
    async with instance(database_url) as client:
        assert (await post(client, trend, {"c": "PREVIOUS_YEAR"}))[0] == "MISS"
        assert (await post(client, trend, {"c": "PREVIOUS_PERIOD"}))[0] == "MISS"
        assert (await post(client, trend, {"c": "PREVIOUS_YEAR"}))[0] == "HIT-L1"
        year_back = order_input(
            shop.north, (shop.boot, 1), status="COMPLETED", orderDate="2025-11-21T09:00:00Z"
        )
        await client.data(CREATE_ORDER, {"input": year_back})
        _, body = await post(client, trend, {"c": "PREVIOUS_YEAR"})
    counts = {point["label"]: point["previousOrderCount"] for point in body["data"]["salesTrends"]}
    assert counts["2026-11-21 09:00"] == 1
    assert sum(counts.values()) == 1


async def test_instances_without_redis_check_the_write_counter(database_url, engine):
    """No Redis: an instance cannot hear another's writes, so every hit checks data_version."""
    shop = await build_shop(engine)
    async with instance(database_url) as reader, instance(database_url) as writer:
        _, before = await overview(reader)
        assert (await overview(reader))[0] == "HIT-L1"
        await completed_order(writer, shop.north, (shop.cap, 1))
        cache, after = await overview(reader)
        assert cache == "MISS"
        assert after["totalOrders"] == before["totalOrders"] + 1
        assert (await overview(reader))[0] == "HIT-L1"


async def test_fifty_concurrent_misses_compute_once(database_url):
    async with instance(database_url) as client:
        answers = await asyncio.gather(*(post(client, OVERVIEW, {"p": "YEAR"}) for _ in range(50)))
        responses = client.app.state.cache.responses
    assert responses.computations == 1
    assert {orjson.dumps(body) for _, body in answers} == {orjson.dumps(answers[0][1])}
    assert {cache for cache, _ in answers} == {"MISS"}


async def test_clear_cache_needs_admin_and_drops_answers(database_url):
    clear = 'mutation { clearCache(input: {pattern: "*"}) { tags } }'
    async with instance(database_url) as client:
        await post(client, OVERVIEW, {"p": "MONTH"})
        _, denied = await post(client, clear)
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert (await post(client, OVERVIEW, {"p": "MONTH"}))[0] == "HIT-L1"
        _, cleared = await post(client, clear, role=Role.ADMIN)
        assert sorted(cleared["data"]["clearCache"]["tags"]) == [
            "customers",
            "orders",
            "products",
            "reps",
        ]
        assert (await post(client, OVERVIEW, {"p": "MONTH"}))[0] == "MISS"
        _, unknown = await post(
            client, 'mutation { clearCache(input: {pattern: "x*"}) { tags } }', role=Role.ADMIN
        )
        assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cache_info_reports_each_tier(database_url):
    tier = "name backend hits misses hitRate entries memory available"
    info = f"{{ cacheInfo {{ perProcess tiers {{ {tier} }} }} }}"
    async with instance(database_url) as client:
        await post(client, OVERVIEW, {"p": "MONTH"})
        await post(client, OVERVIEW, {"p": "MONTH"})
        _, body = await post(client, info, role=Role.ADMIN)
    report = body["data"]["cacheInfo"]
    assert report["perProcess"] is True
    (local,) = report["tiers"]
    assert local["name"] == "l1" and local["backend"] == "in-process"
    assert (local["hits"], local["misses"], local["hitRate"], local["entries"]) == (1, 1, 50.0, 1)
    assert local["memory"] > 0 and local["available"] is True


# -- several instances sharing Redis ----------------------------------------------------------


async def test_a_write_on_one_instance_shows_on_the_next_read_of_another(database_url, engine):
    need("Redis", REDIS_URL)
    shop = await build_shop(engine)
    async with leased(database_url, REDIS_URL) as a, leased(database_url, REDIS_URL) as b:
        since = epoch(b)
        _, before = await overview(b)
        assert kept_here(b, (await overview(b))[0], since)
        order = await completed_order(a, shop.north, (shop.boot, 1))
        since = epoch(b)
        cache, after = await overview(b)
        assert cache == "MISS"
        assert after["totalOrders"] == before["totalOrders"] + 1
        assert kept_here(b, (await overview(b))[0], since)
        refund = {"input": {"orderId": order["id"], "status": "REFUNDED"}}
        await a.data(UPDATE_ORDER_STATUS, refund)
        _, refunded = await overview(b)
        assert refunded["totalOrders"] == before["totalOrders"]

        since = epoch(b)
        _, top = await post(b, TOP)
        assert kept_here(b, (await post(b, TOP))[0], since)
        await completed_order(a, shop.north, (shop.sandal, 1))
        renamed = {"id": str(shop.sandal), "name": "Beach sandal"}
        await a.data(UPDATE_PRODUCT, {"input": renamed})
        cache, top = await post(b, TOP)
        assert cache == "MISS"
        names = {row["product"]["id"]: row["product"]["name"] for row in top["data"]["topProducts"]}
        assert names[str(shop.sandal)] == "Beach sandal"


async def test_hot_answers_are_recomputed_once_after_a_write_for_every_instance(
    database_url, engine
):
    """After a write, every instance has the hot answers computed again in the background
    (one computes, the others take it from the shared tier while Redis answers in time);
    the reads after the write share that run and have the write in them."""
    need("Redis", REDIS_URL)
    shop = await build_shop(engine)
    async with leased(database_url, REDIS_URL) as a, leased(database_url, REDIS_URL) as b:
        for client in (a, b) * 4:
            _, before = await overview(client)
        since = [epoch(client) for client in (a, b)]
        order = await completed_order(a, shop.north, (shop.boot, 1), (shop.cap, 3))
        answers = [await overview(client) for client in (a, b)]
        for client, epoch_before in zip((a, b), since, strict=True):
            assert kept_here(client, (await overview(client))[0], epoch_before)
        fresh_body = await post(b, OVERVIEW, {"p": "TODAY"}, **{"cache-control": "no-cache"})
    for _, after in answers:
        assert after["totalOrders"] == before["totalOrders"] + 1
        assert Decimal(after["totalRevenue"]) == Decimal(before["totalRevenue"]) + Decimal(
            order["totalAmount"]
        )
    assert fresh_body[1]["data"]["salesOverview"] == answers[1][1]


async def test_an_answer_computed_on_one_instance_is_shared_with_the_next(database_url):
    need("Redis", REDIS_URL)
    async with instance(database_url, redis_url=REDIS_URL) as a:
        assert (await overview(a, "YEAR"))[0] == "MISS"
    async with leased(database_url, REDIS_URL) as b:
        since = epoch(b)
        assert (await overview(b, "YEAR"))[0] == "HIT-L2"
        assert kept_here(b, (await overview(b, "YEAR"))[0], since)


async def test_bulk_writes_outside_the_api_reach_every_instance(database_url, engine):
    """A job or an import writes through the services, in the one write transaction
    (:func:`writing`), and publishes like a mutation does."""
    need("Redis", REDIS_URL)
    from shopx.analytics.reporting import ReportingRules
    from shopx.cache.runtime import CacheRuntime, writing
    from shopx.config import Settings
    from shopx.db.data_version import data_version
    from shopx.db.engine import session_factory
    from shopx.db.models import OrderStatus
    from shopx.orders import service

    shop = await build_shop(engine)
    async with leased(database_url, REDIS_URL) as reader:
        since = epoch(reader)
        _, before = await overview(reader)
        assert kept_here(reader, (await overview(reader))[0], since)
        settings = Settings(database_url=database_url, redis_url=REDIS_URL)
        factory = session_factory(engine)

        async def written_so_far() -> int:
            async with factory() as session:
                return await data_version(session)

        job = CacheRuntime(settings, written_so_far)
        await job.start()
        try:
            await until(job.freshness.has_lease, "the job's listener")
            async with writing(factory, NOW, job) as session:
                for _ in range(3):
                    await service.create_order(
                        session,
                        service.NewOrder(
                            customer_id=shop.north,
                            lines=(service.NewLine(shop.cap, 1),),
                            status=OrderStatus.COMPLETED,
                            ordered_at=datetime(2026, 11, 21, 9, tzinfo=UTC),
                        ),
                        rules=ReportingRules.of(settings),
                        now=NOW,
                    )
        finally:
            await job.stop()
        cache, after = await overview(reader)
    assert cache == "MISS"
    assert after["totalOrders"] == before["totalOrders"] + 3


class Proxy:
    """A TCP relay to Redis that the test can cut and restore, as a network would."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server: asyncio.Server | None = None
        self.port = 0
        self.links: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.close()
        await self.server.wait_closed()
        self.links.clear()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.target_port
        )
        self.links |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def test_losing_redis_costs_speed_not_answers(database_url, engine, monkeypatch):
    need("Redis", REDIS_URL)
    monkeypatch.setattr(redis_side, "RETRY_AFTER", 0.0)  # retry Redis on every call
    shop = await build_shop(engine)
    proxy = Proxy(int(REDIS_URL.split(":")[2].split("/")[0]))
    await proxy.start()
    via_proxy = f"redis://127.0.0.1:{proxy.port}/15"
    async with leased(database_url, via_proxy) as a, leased(database_url, via_proxy) as b:
        _, before = await overview(b)
        await proxy.cut()

        await completed_order(a, shop.north, (shop.boot, 1))
        cache, after = await overview(b)
        assert after["totalOrders"] == before["totalOrders"] + 1
        assert cache == "MISS"
        # Served from the in-process tier, checked against data_version. Under load, b may
        # notice the lost Redis lease while computing the MISS above: that answer is then
        # not kept (its stamp came from the lease), and the next one is.
        served = [await overview(b) for _ in range(2)]
        assert [body for _, body in served] == [after, after]
        assert served[-1][0] == "HIT-L1"
        assert not b.app.state.cache.freshness.has_lease()
        _, year = await overview(b, "YEAR")
        assert year["totalOrders"] == after["totalOrders"]

        await proxy.start()
        await until(b.app.state.cache.freshness.has_lease, "the listener to come back")
        await completed_order(a, shop.north, (shop.cap, 1))
        _, again = await overview(b)
        assert again["totalOrders"] == after["totalOrders"] + 1
        async with instance(database_url, redis_url=via_proxy) as c:
            assert (await overview(c))[0] == "HIT-L2"  # the shared tier is used again
    await proxy.cut()


# -- nested answers stay fresh on every instance ---------------------------------------------

EVERYTHING = {"customer", "rep", "product", "category"}
NESTED_READS = {
    "customer": (
        EVERYTHING,
        """query($c: ID!) { customer(id: $c) { name orders { edges { node {
        salesRep { name } items { product { name category { name } } } } } } } }""",
    ),
    "customers": (
        EVERYTHING,
        """{ customers { edges { node { name orders { edges { node {
        salesRep { name } items { product { name category { name } } } } } } } } } }""",
    ),
    "order": (
        EVERYTHING,
        """query($o: ID!) { order(id: $o) { customer { name } salesRep { name }
        items { product { name category { name } } } } }""",
    ),
    "orders": (
        {"customer", "rep"},
        "{ orders { edges { node { customer { name } salesRep { name } } } } }",
    ),
    "product": (
        {"product", "category"},
        "query($p: ID!) { product(id: $p) { name category { name } } }",
    ),
    "products": (
        {"product", "category"},
        "{ products { edges { node { name category { name } } } } }",
    ),
    "searchProducts": (
        {"product", "category"},
        # by brand: every product is Acme's, so the renamed one is found before and after
        '{ searchProducts(query: "acme") { name category { name } } }',
    ),
    "category": ({"category"}, "query($k: ID!) { category(id: $k) { name } }"),
    "topProducts": (
        {"product", "category"},
        "{ topProducts { product { name category { name } } } }",
    ),
    "productPerformance": (
        {"product", "category"},
        """query($p: ID!) {
        productPerformance(productId: $p) { product { name category { name } } } }""",
    ),
    "categoryBreakdown": ({"category"}, "{ categoryBreakdown { category { name } } }"),
    "categoryPerformance": (
        {"product", "category"},
        """query($k: ID!) { categoryPerformance(categoryId: $k) {
        category { name } topProducts { product { name } } } }""",
    ),
    "topSalesReps": ({"rep"}, "{ topSalesReps { salesRep { name } } }"),
    "salesRepPerformance": (
        {"rep"},
        "query($r: ID!) { salesRepPerformance(salesRepId: $r) { salesRep { name } } }",
    ),
    "salesRep": ({"rep"}, "query($r: ID!) { salesRep(id: $r) { name } }"),
    "topCustomers": ({"customer"}, "{ topCustomers { customer { name } } }"),
    "customerMetrics": (
        {"customer"},
        "query($c: ID!) { customerMetrics(customerId: $c) { customer { name } } }",
    ),
    "dashboardOverview": (
        {"product", "category", "rep"},
        """{ dashboardOverview { topProducts { product { name } }
        categoryBreakdown { category { name } } topSalesReps { salesRep { name } } } }""",
    ),
    "profitabilityMetrics": (
        {"product", "category"},
        """{ profitabilityMetrics {
        byCategory { category { name } } byProduct { product { name } } } }""",
    ),
}
"""Root fields that can show a product, category, customer or rep name (nested), with the
kinds each of these reads shows."""
RENAMES = (
    ("product", "updateProduct(input: {id: $id, name: $name})", "Trail boot"),
    ("category", "updateCategory(input: {id: $id, name: $name})", "Footwear"),
    ("customer", "updateCustomer(input: {id: $id, name: $name})", "Northwind Ltd"),
    ("rep", "updateSalesRep(input: {id: $id, name: $name})", "Rita Rep"),
)


def names_in(answer: Any) -> set[str]:
    """Every ``name`` value anywhere in an answer."""
    if isinstance(answer, list):
        return set().union(*map(names_in, answer))
    if not isinstance(answer, dict):
        return set()
    found = {answer["name"]} if isinstance(answer.get("name"), str) else set()
    return found.union(*map(names_in, answer.values()))


async def nested_reads(client: ApiClient, variables: dict[str, str]) -> dict[str, tuple]:
    """(X-Cache, the names shown) of each nested read."""
    answers = {}
    for field, (_, query) in NESTED_READS.items():
        cache, body = await post(client, query, variables)
        assert "errors" not in body, (field, body["errors"])
        answers[field] = (cache, names_in(body["data"]))
    return answers


async def warm_nested_reads(client: ApiClient, variables: dict[str, str]) -> dict[str, tuple]:
    """The nested reads made twice, the second time each answered from the process tier.

    A lease that lapses and is regained drops that tier whole (a new epoch): on a loaded
    machine a long read can hold the event loop past ``shopx.cache.freshness.LEASE``, and
    the entries of the reads before it are then gone, even though no epoch changes in the
    round that misses them. So the epoch is taken before the round that fills the tier,
    and only when it changed by the end of the second round are both taken again (a few
    times at most)."""
    freshness = client.app.state.cache.freshness
    for _ in range(3):
        epoch = freshness.epoch
        await nested_reads(client, variables)
        answers = await nested_reads(client, variables)
        if {cache for cache, _ in answers.values()} == {"HIT-L1"}:
            return answers
        assert freshness.epoch != epoch, answers  # nothing else excuses missing the tier
        await until(freshness.has_lease, "the lease back")
    raise AssertionError(f"the lease kept lapsing: {answers}")


async def test_a_rename_shows_in_every_nested_answer_on_every_instance(database_url, engine):
    """An answer depends on every type its selection reaches: renaming a product, a
    category, a customer or a rep reaches the cached answers that only nest it."""
    need("Redis", REDIS_URL)
    shop = await build_shop(engine)
    async with leased(database_url, REDIS_URL) as a, leased(database_url, REDIS_URL) as b:
        sale = order_input(shop.north, (shop.boot, 1), status="COMPLETED", orderDate=EARLIER)
        sale["salesRepId"] = str(shop.seller)
        placed = (await a.data(CREATE_ORDER, {"input": sale}))["createOrder"]
        ids = {"c": shop.north, "o": placed["id"], "p": shop.boot, "k": shop.shoes}
        variables = {key: str(value) for key, value in ids.items()} | {"r": str(shop.seller)}
        of_kind = {"product": "p", "category": "k", "customer": "c", "rep": "r"}
        for kind, change, new_name in RENAMES:
            for client in (a, b):
                before = await nested_reads(client, variables)
                await warm_nested_reads(client, variables)
            mutation = f"mutation($id: ID!, $name: String!) {{ {change} {{ id name }} }}"
            renamed = {"id": variables[of_kind[kind]], "name": new_name}
            await a.data(mutation, renamed)
            for client in (a, b):
                after = await nested_reads(client, variables)
                for field, (kinds, _) in NESTED_READS.items():
                    if kind in kinds:
                        gone = before[field][1] - after[field][1]
                        assert new_name in after[field][1], (field, kind, after[field])
                        assert len(gone) == 1, (field, kind, gone)


async def test_a_database_made_again_at_the_same_address_is_not_answered_from_the_old(
    database_url, engine
):
    """Redis outlives a database dropped and made again under the same URL (a reseed, a
    test shop): the new one's answers must not be the old one's."""
    need("Redis", REDIS_URL)
    shop = await build_shop(engine)
    await engine.dispose()
    async with instance(database_url, redis_url=REDIS_URL) as old:
        await completed_order(old, shop.north, (shop.boot, 2))
        cache, before = await overview(old, "YEAR")
        assert cache == "MISS" and before["totalOrders"] >= 1
    await _made_again(database_url)
    async with leased(database_url, REDIS_URL) as new:
        cache, after = await overview(new, "YEAR")
        assert cache == "MISS"
        assert after["totalOrders"] == 0


async def _made_again(database_url: str) -> None:
    """The database at ``database_url`` dropped, made again and migrated, empty."""
    path = sqlite_path(database_url)
    if path is not None:
        path.unlink()
    else:
        await drop_postgres_database(database_url)
        await create_postgres_database(database_url)
    await upgrade_async(database_url)


async def test_after_a_restore_clearing_the_cache_drops_the_newer_shared_answers(
    database_url, engine
):
    """A restored backup's write counter is behind the answers in Redis, so they look
    fresh; ``clearCache("*")`` moves the counter past them. (The data is left as it is:
    what is checked is where the answer comes from.)"""
    need("Redis", REDIS_URL)
    shop = await build_shop(engine)
    clear = 'mutation { clearCache(input: {pattern: "*"}) { tags } }'
    async with instance(database_url, redis_url=REDIS_URL) as before:
        _, backed_up = await overview(before, "YEAR")
        async with engine.begin() as conn:
            backup = await conn.scalar(text("SELECT version FROM data_version"))
        await completed_order(before, shop.north, (shop.boot, 2))
        assert (await overview(before, "YEAR"))[1]["totalOrders"] == backed_up["totalOrders"] + 1
    async with engine.begin() as conn:  # the restore: the order and the counter go back
        await conn.execute(
            text("DELETE FROM order_items WHERE order_id = (SELECT max(id) FROM orders)")
        )
        await conn.execute(text("DELETE FROM orders WHERE id = (SELECT max(id) FROM orders)"))
        await conn.execute(text("UPDATE data_version SET version = :v"), {"v": backup})
    async with instance(database_url, redis_url=REDIS_URL) as restored:
        stale_or_not, _ = await overview(restored, "YEAR")
        assert stale_or_not == "HIT-L2"  # what a restore leaves: the newer answer
        await post(restored, clear, role=Role.ADMIN)
        cache, after = await overview(restored, "YEAR")
        assert cache == "MISS"
        assert after["totalOrders"] == backed_up["totalOrders"] + 1
