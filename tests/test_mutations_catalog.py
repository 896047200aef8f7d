from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shopx.auth import Role
from shopx.db.models import Product
from tests.api import api_client
from tests.consistency import assert_consistent, snapshot
from tests.mutations import CREATE_ORDER, build_shop, error, order_input

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

CREATE_CATEGORY = """
mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id name parentId } }
"""
UPDATE_CATEGORY = """
mutation($input: UpdateCategoryInput!) { updateCategory(input: $input) { id name parentId } }
"""
PRODUCT_FIELDS = "id sku name categoryId costPrice sellingPrice stockQuantity reorderLevel isActive"
CREATE_PRODUCT = f"""
mutation($input: CreateProductInput!) {{ createProduct(input: $input) {{ {PRODUCT_FIELDS} }} }}
"""
UPDATE_PRODUCT = f"""
mutation($input: UpdateProductInput!) {{ updateProduct(input: $input) {{ {PRODUCT_FIELDS} }} }}
"""
DELETE_PRODUCT = f"""
mutation($input: DeleteProductInput!) {{ deleteProduct(input: $input) {{ {PRODUCT_FIELDS} }} }}
"""


def product_input(category: int, **extra) -> dict:
    return {
        "name": "Trail boot",
        "sku": "TB-1",
        "categoryId": str(category),
        "costPrice": "70.10",
        "sellingPrice": "119.99",
    } | extra


async def test_category_tree_has_two_levels_and_no_cycles(database_url):
    async with api_client(database_url) as client:

        async def create(name, parent=None):
            variables = {"input": {"name": name, "parentId": parent}}
            return (await client.data(CREATE_CATEGORY, variables))["createCategory"]["id"]

        async def update_error(**fields):
            return error(await client.graphql(UPDATE_CATEGORY, {"input": fields}))

        shoes, hats = await create("Shoes"), await create("Hats")
        boots = await create("Boots", shoes)
        moved = await client.data(UPDATE_CATEGORY, {"input": {"id": boots, "parentId": hats}})
        assert moved["updateCategory"]["parentId"] == hats

        body = await client.graphql(CREATE_CATEGORY, {"input": {"name": "X", "parentId": boots}})
        assert error(body) == (
            "BAD_USER_INPUT",
            f"parentId: category {boots} is a subcategory; the category tree has two levels",
        )
        assert await update_error(id=shoes, parentId=shoes) == (
            "BAD_USER_INPUT",
            "parentId: a category cannot be its own parent",
        )
        assert await update_error(id=hats, parentId=shoes) == (
            "BAD_USER_INPUT",
            f"parentId: category {hats} has subcategories, so it must stay top-level",
        )
        assert await update_error(id=shoes, parentId="999") == (
            "NOT_FOUND",
            "parentId: category 999 not found",
        )
        assert await update_error(id=shoes, name="Hats") == (
            "BAD_USER_INPUT",
            "name: a category named 'Hats' already exists at the top level",
        )
        assert await update_error(id="999", name="Y") == ("NOT_FOUND", "category 999 not found")
        top = await client.data(UPDATE_CATEGORY, {"input": {"id": boots, "parentId": None}})
        assert top["updateCategory"]["parentId"] is None


async def test_product_prices_are_exact_cents(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        created = await client.data(CREATE_PRODUCT, {"input": product_input(shop.shoes)})
        product = created["createProduct"]
        assert (product["costPrice"], product["sellingPrice"]) == ("70.10", "119.99")
        assert (product["stockQuantity"], product["reorderLevel"], product["isActive"]) == (
            0,
            10,
            True,
        )
        updated = await client.data(
            UPDATE_PRODUCT, {"input": {"id": product["id"], "sellingPrice": 0.3, "brand": None}}
        )
        assert updated["updateProduct"]["sellingPrice"] == "0.30"
        assert updated["updateProduct"]["sku"] == "TB-1"
        deleted = await client.data(DELETE_PRODUCT, {"input": {"id": product["id"]}})
        assert deleted["deleteProduct"]["isActive"] is False
    async with engine.connect() as conn:
        row = (await conn.execute(select(Product).where(Product.sku == "TB-1"))).one()
    assert (row.cost_price_cents, row.selling_price_cents, row.is_active) == (7_010, 30, False)


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"sellingPrice": "19.999"}, "BAD_USER_INPUT", "sellingPrice must have at most 2 decimal"),
        ({"costPrice": "-0.01"}, "BAD_USER_INPUT", "costPrice must not be negative, got -0.01"),
        ({"costPrice": "NaN"}, "BAD_USER_INPUT", "at .costPrice: Expected value of type 'Decimal'"),
        ({"stockQuantity": -1}, "BAD_USER_INPUT", "stockQuantity must not be negative, got -1"),
        ({"sku": "  "}, "BAD_USER_INPUT", "sku must not be blank"),
        ({"sku": "SKU-TAKEN"}, "BAD_USER_INPUT", "sku: 'SKU-TAKEN' is already used by product"),
        ({"categoryId": "999"}, "NOT_FOUND", "categoryId: category 999 not found"),
        ({"categoryId": "abc"}, "BAD_USER_INPUT", "categoryId: 'abc' is not a valid id"),
    ],
)
async def test_bad_product_input_is_rejected_and_changes_nothing(
    database_url, engine, fields, code, message
):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        taken = await client.data(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="SKU-TAKEN")}
        )
        before = await snapshot(engine)
        created = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, **fields)}
        )
        update = fields | {"id": str(shop.boot)}
        updated = await client.graphql(UPDATE_PRODUCT, {"input": update})
    assert taken["createProduct"]["sku"] == "SKU-TAKEN"
    for body in (created, updated):
        assert error(body)[0] == code
        assert message in error(body)[1]
    assert await snapshot(engine) == before


async def test_a_product_changing_category_takes_its_history_along(database_url, engine):
    shop = await build_shop(engine)
    moments = ["2026-11-01T03:59:00Z", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"]
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        orders = [
            # Boot alone, boot with a sandal (Shoes keeps the order), boot with a cap.
            order_input(shop.north, (shop.boot, 1), orderDate=moments[0], status="COMPLETED"),
            order_input(shop.north, (shop.boot, 2), (shop.sandal, 1), orderDate=moments[1]),
            order_input(shop.south, (shop.cap, 1), (shop.boot, 1), orderDate=moments[2]),
            order_input(shop.south, (shop.boot, 1), (shop.boot, 1, "99.00"), orderDate=moments[2]),
        ]
        for variables in orders:
            await client.data(CREATE_ORDER, {"input": variables})
        for category in (shop.hats, shop.shoes):
            moved = await client.data(
                UPDATE_PRODUCT, {"input": {"id": str(shop.boot), "categoryId": str(category)}}
            )
            assert moved["updateProduct"]["categoryId"] == str(category)
            await assert_consistent(engine, NY)


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.ANALYST, "FORBIDDEN"), (Role.VIEWER, "FORBIDDEN"), (None, "UNAUTHENTICATED")],
)
async def test_only_admins_write_the_catalog(database_url, engine, role, code):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        before = await snapshot(engine)
        bodies = [
            await client.graphql(CREATE_CATEGORY, {"input": {"name": "New"}}, role=role),
            await client.graphql(CREATE_PRODUCT, {"input": product_input(shop.shoes)}, role=role),
            await client.graphql(DELETE_PRODUCT, {"input": {"id": str(shop.cap)}}, role=role),
        ]
    assert [error(body)[0] for body in bodies] == [code] * 3
    assert await snapshot(engine) == before
