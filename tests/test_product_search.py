"""One product search for GraphQL and REST: ``searchProducts``, ``products(filter:
{search})`` and ``GET /api/v1/products?search=`` find the same products in the same order
(the full-text index, :mod:`shopx.db.search`), on SQLite and PostgreSQL; word prefixes, SKUs,
case and accents behave as a search box should; hostile text is never read as query syntax
and never fails the server."""

from __future__ import annotations

from typing import Any

import pytest

from shopx.auth import Role
from shopx.db.engine import session_factory
from tests import factories as make
from tests.api import ApiClient, api_client
from tests.conftest import SEED_NOW
from tests.test_rest_products import found, raw_products

PRODUCTS = "/api/v1/products"
SEARCH = "query($q: String!) { searchProducts(query: $q, limit: 100) { id } }"
FILTERED = """query($q: String, $after: String) {
  products(first: 100, after: $after, filter: {search: $q, isActive: true}) {
    totalCount edges { node { id } } pageInfo { hasNextPage endCursor }
  }
}"""
HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "()",
    "NEAR(a b)",
    'NEAR("x" "y", 2)',
    "a OR b",
    "a AND NOT b",
    "-acme",
    "acme*",
    '"acme',
    "(acme",
    "acme)",
    "name:acme",
    "{name sku}: acme",
    "acme & !kettle | x",
    "acme:* <-> b",
    "\\'; DROP TABLE products; --",
    "%_%",
    "^acme",
    "a\x00b",
    "x" * 10_000,
    "a " * 100,
]


def bearer(client: ApiClient) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(Role.ANALYST)}"}


async def rest_ids(client: ApiClient, text: str) -> tuple[int, list[int] | str]:
    """REST's status and ranked ids (every page), or its error code."""
    ids: list[int] = []
    offset: int | None = 0
    while offset is not None:
        params = {"search": text, "limit": 100, "offset": offset}
        response = await client.http.get(PRODUCTS, params=params, headers=bearer(client))
        if response.status_code != 200:
            return response.status_code, response.json()["error"]
        page = response.json()
        ids += [int(item["id"]) for item in page["items"]]
        offset = page["next_offset"]
    return 200, ids


async def graphql_ids(client: ApiClient, text: str) -> list[int] | str:
    """``searchProducts``'s ranked ids, or its error code."""
    body = await client.graphql(SEARCH, {"q": text}, role=Role.ANALYST)
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    return [int(row["id"]) for row in body["data"]["searchProducts"]]


async def filtered_ids(client: ApiClient, text: str) -> tuple[set[int], int] | str:
    """The ids ``products(filter: {search})`` pages through, and its total, or its error."""
    ids: set[int] = set()
    after, totals = None, set()
    while True:
        body = await client.graphql(FILTERED, {"q": text, "after": after}, role=Role.ANALYST)
        if body.get("errors"):
            return body["errors"][0]["extensions"]["code"]
        connection = body["data"]["products"]
        ids |= {int(edge["node"]["id"]) for edge in connection["edges"]}
        totals.add(connection["totalCount"])
        if not connection["pageInfo"]["hasNextPage"]:
            return ids, totals.pop() if len(totals) == 1 else -1
        after = connection["pageInfo"]["endCursor"]


def texts_of(rows: list[dict[str, Any]]) -> list[str]:
    """Searches picked from the seeded rows: a brand prefix, a SKU, its prefix, a name word's
    prefix with a category word, one in capitals."""
    sample = rows[3]
    name_word = sample["name"].split()[-1]
    return [
        sample["brand"][:3],
        sample["sku"],
        sample["sku"][:5],
        f"{name_word[:4]} {sample['category_name'].split()[0]}",
        name_word.upper(),
    ]


async def test_graphql_and_rest_find_the_same_products_in_the_same_order(seeded_url):
    rows = await raw_products(seeded_url)
    async with api_client(seeded_url, now=SEED_NOW) as client:
        for text in texts_of(rows):
            want = {r["id"] for r in rows if r["is_active"] and found(r, text)}
            status, rest = await rest_ids(client, text)
            graphql = await graphql_ids(client, text)
            listed = await filtered_ids(client, text)
            assert status == 200 and isinstance(rest, list), (text, rest)
            assert set(rest) == want and len(rest) == len(want), text
            assert graphql == rest[:100], text  # one ranking
            assert listed == (want, len(want)), text


async def test_a_search_box_finds_word_prefixes_skus_any_case_and_accents(engine, database_url):
    async with session_factory(engine)() as session, session.begin():
        gear = await make.category(session, name="Gear")
        products = {}
        for name, brand in [
            ("Wireless Mouse", "Logi"),
            ("Wired Keyboard", "Logi"),
            ("Rewired Cable", None),
            ("Café Crème Mug", "Ère"),
            ("Cafeteria Tray", None),
        ]:
            products[name] = await make.product(session, category=gear, name=name, brand=brand)
        products["Wireless Mouse"].sku = "WM-1001"
        products["Wired Keyboard"].sku = "wm-1001-kb"
    ids = {name: str(row.id) for name, row in products.items()}
    async with api_client(database_url) as client:

        async def names(text: str) -> list[str]:
            body = await client.data(SEARCH, {"q": text})
            by_id = {value: key for key, value in ids.items()}
            return [by_id[row["id"]] for row in body["searchProducts"]]

        wire = await names("wire")
        accents = await names("CAFE creme")
        decomposed = await names("Cre\u0300me")
        sku = await names("wm-1001")
        sku_prefix = await names("WM-10")
        brand = await names("ere")
        nothing = await names("mouse keyboard")
    assert sorted(wire) == ["Wired Keyboard", "Wireless Mouse"]  # not "Rewired": a prefix
    assert accents == decomposed == ["Café Crème Mug"]
    assert sku[0] == "Wireless Mouse" and sorted(sku) == ["Wired Keyboard", "Wireless Mouse"]
    assert sorted(sku_prefix) == ["Wired Keyboard", "Wireless Mouse"]
    assert brand == ["Café Crème Mug"]
    assert nothing == []  # every word must match


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_text_is_words_or_a_clear_refusal_never_a_failure(seeded_url, text):
    rows = await raw_products(seeded_url)
    async with api_client(seeded_url, now=SEED_NOW) as client:
        status, rest = await rest_ids(client, text)
        graphql = await graphql_ids(client, text)
    assert status in (200, 400), (status, rest)
    assert graphql == "BAD_USER_INPUT" or isinstance(graphql, list)
    if status == 400:
        assert rest == "BAD_USER_INPUT"
        return
    want = {r["id"] for r in rows if r["is_active"] and found(r, text)}
    assert set(rest) == want  # its words, and nothing read as an operator
    if graphql != "BAD_USER_INPUT":  # GraphQL refuses control characters in any text
        assert graphql == rest[:100]
