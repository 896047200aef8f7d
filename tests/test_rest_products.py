"""The REST product catalog against the seeded shop, every answer recomputed from the raw
``products`` rows in Python: filters, sorts, pages, search, figures, the export; ETags and
304s; a GraphQL product write visible on the next REST read; auth and bad input."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from shopx.api.rest import access, product_export
from shopx.auth import Role
from shopx.db.engine import create_engine
from tests.api import ApiClient, api_client
from tests.conftest import SEED_NOW

PRODUCTS = "/api/v1/products"


async def raw_products(url: str) -> list[dict[str, Any]]:
    """Every product row as the database holds it (plain SQL, no ORM, no app code)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(
                text(
                    "SELECT id, sku, name, brand, description, category_id, "
                    "cost_price_cents, selling_price_cents, stock_quantity, reorder_level, "
                    "is_active FROM products"
                )
            )
            rows = [dict(row._mapping) for row in result]
            parents = dict((await conn.execute(text("SELECT id, parent_id FROM categories"))).all())
            names = dict((await conn.execute(text("SELECT id, name FROM categories"))).all())
    finally:
        await engine.dispose()
    for row in rows:
        row["is_active"] = bool(row["is_active"])
        row["parent"] = parents[row["category_id"]]
        row["category_name"] = names[row["category_id"]]
    return rows


def headers(client: ApiClient, role: Role | None = Role.ANALYST) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(role)}"} if role else {}


async def every_page(client: ApiClient, params: dict[str, Any]) -> tuple[list[dict], int]:
    """All items of a listing, paged by cursor, and its total (the same on every page)."""
    items, cursor, totals = [], None, set()
    while True:
        query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        response = await client.http.get(PRODUCTS, params=query, headers=headers(client))
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        totals.add(page["total"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items, totals.pop() if len(totals) == 1 else -1


def words_of(*values: str | None) -> list[str]:
    return [w.lower() for value in values if value for w in re.findall(r"[^\W_]+", value)]


def found(row: dict, search: str) -> bool:
    mine = words_of(row["name"], row["sku"], row["brand"], row["description"])
    return all(any(w.startswith(term) for w in mine) for term in words_of(search))


SORTS = {
    "name": "name",
    "sku": "sku",
    "selling_price": "selling_price_cents",
    "cost_price": "cost_price_cents",
    "stock_quantity": "stock_quantity",
    "brand": "brand",
    "id": "id",
}


def expected(rows: list[dict], params: dict[str, Any]) -> list[int]:
    """The ids the listing must give, filtered and sorted in Python."""
    picked = [r for r in rows if r["is_active"] or params.get("include_inactive")]
    if "category" in params:
        c = params["category"]
        picked = [r for r in picked if c in (r["category_id"], r["parent"])]
    if "brand" in params:
        picked = [r for r in picked if r["brand"] == params["brand"]]
    if "min_price" in params:
        picked = [
            r for r in picked if r["selling_price_cents"] >= Decimal(params["min_price"]) * 100
        ]
    if "max_price" in params:
        picked = [
            r for r in picked if r["selling_price_cents"] <= Decimal(params["max_price"]) * 100
        ]
    if "in_stock" in params:
        want = params["in_stock"] == "true"
        picked = [r for r in picked if (r["stock_quantity"] > 0) == want]
    if "search" in params:
        picked = [r for r in picked if found(r, params["search"])]
    column = SORTS[params.get("sort_by", "name")]
    descending = params.get("sort_order") == "desc"
    present = [r for r in picked if r[column] is not None]
    absent = [r for r in picked if r[column] is None]
    present.sort(key=lambda r: (r[column], r["id"]), reverse=descending)
    absent.sort(key=lambda r: r["id"], reverse=descending)
    return [r["id"] for r in present + absent]  # nulls last either way


def some(rows: list[dict]) -> dict[str, Any]:
    """Filter values that exist in the seeded shop (picked from its rows, not hard-coded)."""
    brands = Counter(r["brand"] for r in rows if r["brand"] and r["is_active"])
    parent = next(r["parent"] for r in rows if r["parent"] is not None)
    leaf = Counter(r["category_id"] for r in rows).most_common(1)[0][0]
    word = rows[0]["name"].split()[-1]
    return {"brand": brands.most_common(1)[0][0], "parent": parent, "leaf": leaf, "word": word}


@pytest.mark.parametrize(
    "case",
    [
        {},
        {"sort_by": "selling_price", "sort_order": "desc"},
        {"sort_by": "brand"},
        {"sort_by": "stock_quantity", "in_stock": "false", "include_inactive": "true"},
        {"min_price": "20.00", "max_price": "80.50", "sort_by": "cost_price"},
        {"in_stock": "true", "sort_by": "sku", "sort_order": "desc"},
        {"category": "parent", "sort_by": "selling_price"},
        {"category": "leaf", "sort_by": "id", "sort_order": "desc"},
        {"brand": "brand", "in_stock": "true"},
        {"search": "word", "sort_by": "name"},
    ],
    ids=lambda case: "-".join(f"{k}={v}" for k, v in case.items()) or "all",
)
async def test_each_filter_and_sort_pages_through_exactly_the_matching_rows(seeded_url, case):
    rows = await raw_products(seeded_url)
    known = some(rows)
    params = {
        k: known.get(v, v) if k in ("category", "brand", "search") else v for k, v in case.items()
    }
    want = expected(rows, params)
    assert want, "the case selects some products"
    async with api_client(seeded_url, now=SEED_NOW) as client:
        items, total = await every_page(client, params)
    assert [int(item["id"]) for item in items] == want
    assert total == len(want)


async def test_offset_pages_match_cursor_pages_and_deep_offsets_are_refused(seeded_url):
    rows = await raw_products(seeded_url)
    want = expected(rows, {"sort_by": "selling_price"})
    async with api_client(seeded_url, now=SEED_NOW) as client:
        got, offset = [], 0
        while offset is not None:
            response = await client.http.get(
                PRODUCTS,
                params={"sort_by": "selling_price", "limit": 100, "offset": offset},
                headers=headers(client),
            )
            page = response.json()
            assert page["offset"] == offset
            got += [int(item["id"]) for item in page["items"]]
            offset = page["next_offset"]
        deep = await client.http.get(PRODUCTS, params={"offset": 10_001}, headers=headers(client))
        both = await client.http.get(
            PRODUCTS, params={"offset": 1, "cursor": "x"}, headers=headers(client)
        )
    assert got == want
    assert deep.status_code == 400
    assert deep.json()["error"] == "BAD_USER_INPUT" and "cursor" in deep.json()["detail"]
    assert both.status_code == 400


async def test_search_finds_word_prefixes_in_every_field_ranked(seeded_url):
    rows = await raw_products(seeded_url)
    sample = rows[3]
    brand_prefix = sample["brand"][:3]
    queries = [
        brand_prefix,
        sample["sku"],
        f"{sample['name'].split()[-1][:4]} {sample['category_name'].split()[0]}",
    ]
    async with api_client(seeded_url, now=SEED_NOW) as client:
        for search in queries:
            want = {r["id"] for r in rows if r["is_active"] and found(r, search)}
            got, total, offset = [], None, 0
            while offset is not None:
                response = await client.http.get(
                    PRODUCTS,
                    params={"search": search, "limit": 100, "offset": offset},
                    headers=headers(client),
                )
                assert response.status_code == 200, response.text
                page = response.json()
                got += [int(item["id"]) for item in page["items"]]
                total, offset = page["total"], page["next_offset"]
                assert page["next_cursor"] is None  # ranked pages go by offset
            assert set(got) == want, search
            assert len(got) == len(want) == total
        exact = await client.http.get(
            PRODUCTS, params={"search": sample["sku"]}, headers=headers(client)
        )
        refused = await client.http.get(PRODUCTS, params={"search": "%%"}, headers=headers(client))
    assert int(exact.json()["items"][0]["id"]) == sample["id"]
    assert refused.status_code == 400


async def test_stats_categories_and_brands_are_the_raw_rows_counted(seeded_url):
    rows = [r for r in await raw_products(seeded_url) if r["is_active"]]
    async with api_client(seeded_url, now=SEED_NOW) as client:
        stats = (await client.http.get(f"{PRODUCTS}/stats", headers=headers(client))).json()
        categories = (
            await client.http.get(f"{PRODUCTS}/categories", headers=headers(client))
        ).json()["items"]
        brands = (await client.http.get(f"{PRODUCTS}/brands", headers=headers(client))).json()
    prices = [r["selling_price_cents"] for r in rows]
    assert stats["products"] == len(rows)
    assert stats["min_price"] == str(Decimal(min(prices)) / 100)
    assert stats["max_price"] == str(Decimal(max(prices)) / 100)
    mean = (Decimal(sum(prices)) / len(prices) / 100).quantize(Decimal("0.01"))
    assert Decimal(stats["average_price"]) == mean
    assert stats["stock_units"] == sum(r["stock_quantity"] for r in rows)
    assert stats["out_of_stock"] == sum(r["stock_quantity"] <= 0 for r in rows)
    assert stats["low_stock"] == sum(r["stock_quantity"] <= r["reorder_level"] for r in rows)
    per_category = Counter(r["category_id"] for r in rows)
    assert {int(c["category_id"]): c["products"] for c in stats["by_category"]} == per_category
    listed = {int(c["category_id"]): c["products"] for c in categories}
    assert {k: v for k, v in listed.items() if v} == per_category
    assert brands["items"] == [
        {"name": name, "products": count}
        for name, count in sorted(Counter(r["brand"] for r in rows if r["brand"]).items())
    ]


async def test_one_product_by_id_and_its_refusals(seeded_url):
    rows = await raw_products(seeded_url)
    row = rows[0]
    async with api_client(seeded_url, now=SEED_NOW) as client:
        one = await client.http.get(f"{PRODUCTS}/{row['id']}", headers=headers(client))
        missing = await client.http.get(f"{PRODUCTS}/999999999", headers=headers(client))
        malformed = await client.http.get(f"{PRODUCTS}/abc", headers=headers(client))
    body = one.json()
    assert body["sku"] == row["sku"] and body["name"] == row["name"]
    assert body["selling_price"] == str(Decimal(row["selling_price_cents"]) / 100)
    assert missing.status_code == 404 and missing.json()["error"] == "NOT_FOUND"
    assert malformed.status_code == 400 and malformed.json()["error"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"min_price": "abc"},
        {"min_price": "1.234"},
        {"min_price": "9", "max_price": "1"},
        {"sort_by": "bogus"},
        {"sort_order": "up"},
        {"cursor": "not-a-cursor"},
        {"sort_by": "relevance"},
        {"in_stock": "maybe"},
        {"category": "-1"},
    ],
)
async def test_bad_input_is_a_400_in_the_error_shape(seeded_url, params):
    async with api_client(seeded_url, now=SEED_NOW) as client:
        response = await client.http.get(PRODUCTS, params=params, headers=headers(client))
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error", "detail"}
    assert response.json()["error"] == "BAD_USER_INPUT"


async def test_reads_need_a_token_that_may_read_analytics(seeded_url):
    async with api_client(seeded_url, now=SEED_NOW) as client:
        anonymous = await client.http.get(PRODUCTS)
        viewer = await client.http.get(PRODUCTS, headers=headers(client, Role.VIEWER))
        bad = await client.http.get(PRODUCTS, headers={"authorization": "Bearer nope"})
        analyst = await client.http.get(PRODUCTS, headers=headers(client, Role.ANALYST))
    async with api_client(seeded_url, now=SEED_NOW, anonymous_reads=True) as client:
        open_shop = await client.http.get(f"{PRODUCTS}/stats")
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "UNAUTHENTICATED")
    assert (viewer.status_code, viewer.json()["error"]) == (403, "FORBIDDEN")
    assert bad.status_code == 401
    assert analyst.status_code == 200 and open_shop.status_code == 200


async def test_etags_answer_304_and_a_graphql_write_shows_on_the_next_read(shop_copy):
    rows = await raw_products(shop_copy)
    row = next(r for r in rows if r["is_active"])
    path = f"{PRODUCTS}/{row['id']}"
    async with api_client(shop_copy, now=SEED_NOW) as client:
        auth = headers(client)
        first = await client.http.get(path, headers=auth)
        again = await client.http.get(
            path, headers={**auth, "if-none-match": first.headers["etag"]}
        )
        listed = await client.http.get(PRODUCTS, params={"sort_by": "id"}, headers=auth)
        hit = await client.http.get(PRODUCTS, params={"sort_by": "id"}, headers=auth)
        renamed = await client.data(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }",
            {"input": {"id": str(row["id"]), "name": "Renamed By GraphQL", "sellingPrice": "7.00"}},
        )
        after = await client.http.get(
            path, headers={**auth, "if-none-match": first.headers["etag"]}
        )
        found_now = await client.http.get(
            PRODUCTS, params={"search": "renamed graphql"}, headers=auth
        )
    assert first.status_code == 200 and first.headers["etag"]
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
    assert hit.headers["x-cache"].startswith("HIT") and hit.json() == listed.json()
    assert renamed["updateProduct"]["id"] == str(row["id"])
    assert after.status_code == 200
    assert after.json()["name"] == "Renamed By GraphQL" and after.json()["selling_price"] == "7.00"
    assert [item["id"] for item in found_now.json()["items"]] == [str(row["id"])]


async def test_the_export_streams_every_filtered_row_with_formulas_defused(shop_copy, monkeypatch):
    monkeypatch.setattr(product_export, "CHUNK", 70)
    rows = await raw_products(shop_copy)
    target = next(r for r in rows if r["stock_quantity"] > 0)
    async with api_client(shop_copy, now=SEED_NOW) as client:
        await client.data(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }",
            {"input": {"id": str(target["id"]), "name": "=HYPERLINK(1)"}},
        )
        params = {"in_stock": "true", "sort_by": "selling_price", "include_inactive": "true"}
        response = await client.http.get(
            f"{PRODUCTS}/export.csv", params=params, headers=headers(client)
        )
        repeated = await client.http.get(
            f"{PRODUCTS}/export.csv",
            params=params,
            headers={**headers(client), "if-none-match": response.headers["etag"]},
        )
    rows = await raw_products(shop_copy)
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-type"].startswith("text/csv")
    assert [int(line["id"]) for line in table] == expected(rows, params)
    assert len(table) > 70  # more than one chunk
    assert next(line for line in table if int(line["id"]) == target["id"])["name"] == (
        "'=HYPERLINK(1)"
    )
    assert repeated.status_code == 304


async def test_a_write_on_one_instance_shows_on_the_next_read_of_another(shop_copy):
    """Two API processes on one database, no Redis: the reader learns of the writer's
    commit from the database's write counter, as GraphQL answers do."""
    row = next(r for r in await raw_products(shop_copy) if r["is_active"])
    path = f"{PRODUCTS}/{row['id']}"
    async with (
        api_client(shop_copy, now=SEED_NOW) as reader,
        api_client(shop_copy, now=SEED_NOW) as writer,
    ):
        before = await reader.http.get(path, headers=headers(reader))
        cached = await reader.http.get(path, headers=headers(reader))
        await writer.data(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }",
            {"input": {"id": str(row["id"]), "stockQuantity": row["stock_quantity"] + 5}},
        )
        after = await reader.http.get(path, headers=headers(reader))
    assert cached.headers["x-cache"] == "HIT-L1" and cached.json() == before.json()
    assert after.json()["stock_quantity"] == row["stock_quantity"] + 5


@pytest.mark.parametrize("path", [PRODUCTS, f"{PRODUCTS}/export.csv", "/api/v1/kpis/summary"])
async def test_a_database_that_does_not_answer_is_a_503_in_the_error_shape(path):
    async with api_client("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere") as client:
        response = await client.http.get(path, headers=headers(client, Role.ADMIN))
    assert response.status_code == 503
    assert response.json()["error"] == "SERVICE_UNAVAILABLE"


class RouteCalls:
    """Counts the tokens the REST routes' own dependency reads: a request answered at the
    edge (:mod:`shopx.api.rest.edge`) never reaches it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        read = access.principal_from_header

        def counted(*args: Any) -> Any:
            self.count += 1
            return read(*args)

        monkeypatch.setattr(access, "principal_from_header", counted)


async def test_a_cached_page_is_answered_at_the_edge_as_the_route_answers_it(
    shop_copy, monkeypatch
):
    routes = RouteCalls(monkeypatch)
    params = {"sort_by": "selling_price", "sort_order": "desc", "limit": 30, "in_stock": "true"}
    async with api_client(shop_copy, now=SEED_NOW) as client:
        analyst = headers(client)
        miss = await client.http.get(PRODUCTS, params=params, headers=analyst)
        after_miss = routes.count
        hit = await client.http.get(PRODUCTS, params=params, headers=analyst)
        zipped = await client.http.get(
            PRODUCTS, params=params, headers={**analyst, "accept-encoding": "gzip"}
        )
        plain = await client.http.get(
            PRODUCTS, params=params, headers={**analyst, "accept-encoding": "identity"}
        )
        unchanged = await client.http.get(
            PRODUCTS, params=params, headers={**analyst, "if-none-match": miss.headers["etag"]}
        )
        other = await client.http.get(PRODUCTS, params={**params, "limit": 31}, headers=analyst)
        routed_later = routes.count - after_miss
    assert miss.status_code == 200 and miss.headers["x-cache"] == "MISS"
    assert after_miss == 1 and routed_later == 1  # only the other page went to the route
    for answer in (hit, zipped, plain):
        assert answer.status_code == 200 and answer.headers["x-cache"] == "HIT-L1"
        assert answer.content == miss.content
        assert answer.headers["etag"] == miss.headers["etag"]
        assert answer.headers["cache-control"] == miss.headers["cache-control"]
        assert answer.headers["content-type"] == "application/json"
        assert "x-process-time" in answer.headers and "x-content-type-options" in answer.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(miss.content)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == miss.headers["etag"]
    assert unchanged.headers["x-cache"] == "HIT-L1"
    assert other.headers["x-cache"] == "MISS" and other.json() != miss.json()


async def test_the_edge_keeps_each_roles_answer_to_that_role_and_refuses_as_the_route(
    shop_copy, monkeypatch
):
    routes = RouteCalls(monkeypatch)
    async with api_client(shop_copy, now=SEED_NOW) as client:
        for _ in range(2):
            await client.http.get(PRODUCTS, headers=headers(client, Role.ANALYST))
        before = routes.count
        admin_first = await client.http.get(PRODUCTS, headers=headers(client, Role.ADMIN))
        admin_again = await client.http.get(PRODUCTS, headers=headers(client, Role.ADMIN))
        viewer = await client.http.get(PRODUCTS, headers=headers(client, Role.VIEWER))
        anonymous = await client.http.get(PRODUCTS)
        forged = await client.http.get(PRODUCTS, headers={"authorization": "Bearer x.y.z"})
        fresh = await client.http.get(
            PRODUCTS, headers={**headers(client), "cache-control": "no-cache"}
        )
        through_route = routes.count - before
        kpis = [
            await client.http.get("/api/v1/kpis/summary", headers=headers(client, Role.VIEWER))
            for _ in range(2)
        ]
    assert admin_first.headers["x-cache"] == "MISS"  # not the analyst's answer
    assert admin_again.headers["x-cache"] == "HIT-L1"
    assert (viewer.status_code, viewer.json()["error"]) == (403, "FORBIDDEN")
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "UNAUTHENTICATED")
    assert forged.status_code == 401
    assert fresh.status_code == 200 and fresh.headers["x-cache"] == "MISS"
    assert through_route == 5  # admin's miss, the three refusals and the no-cache read
    assert [k.headers["x-cache"] for k in kpis] == ["MISS", "HIT-L1"]
    assert kpis[0].content == kpis[1].content


async def test_a_product_write_shows_on_the_next_read_of_a_page_served_at_the_edge(shop_copy):
    rows = await raw_products(shop_copy)
    row = min((r for r in rows if r["is_active"]), key=lambda r: r["id"])  # listed first
    path = f"{PRODUCTS}/{row['id']}"
    async with api_client(shop_copy, now=SEED_NOW) as client:
        auth = headers(client)
        served = [await client.http.get(path, headers=auth) for _ in range(4)]
        listed = [
            await client.http.get(PRODUCTS, params={"sort_by": "id"}, headers=auth)
            for _ in range(2)
        ]
        await client.data(
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }",
            {"input": {"id": str(row["id"]), "name": "Renamed At The Edge"}},
        )
        after = await client.http.get(
            path, headers={**auth, "if-none-match": served[0].headers["etag"]}
        )
        listed_after = await client.http.get(PRODUCTS, params={"sort_by": "id"}, headers=auth)
    assert [s.headers["x-cache"] for s in served] == ["MISS", "HIT-L1", "HIT-L1", "HIT-L1"]
    assert listed[1].headers["x-cache"] == "HIT-L1"
    assert after.status_code == 200 and after.json()["name"] == "Renamed At The Edge"
    assert after.headers["etag"] != served[0].headers["etag"]
    assert listed[1].json()["items"][0]["id"] == str(row["id"])
    assert listed_after.json()["items"][0]["name"] == "Renamed At The Edge"


async def test_the_rate_limit_counts_answers_from_the_edge(shop_copy):
    limits = {"rate_limit_enabled": True, "rate_limit_authenticated": "3/minute"}
    async with api_client(shop_copy, now=SEED_NOW, **limits) as client:
        answers = [await client.http.get(PRODUCTS, headers=headers(client)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[2].headers["x-cache"] == "HIT-L1"
    assert answers[2].headers["x-ratelimit-remaining"] == "0"
