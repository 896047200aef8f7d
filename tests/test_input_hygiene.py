"""Every write holds its input to the bounds, refuses control characters and case-variant
SKUs with BAD_USER_INPUT naming the field, and a refused write changes nothing."""

from __future__ import annotations

import base64
import json
import unicodedata
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from shopx.api.graphql.values import clean
from shopx.db.engine import create_engine
from shopx.db.migrate import current_revision, head_revision, upgrade_async
from shopx.db.models import Order, Product
from shopx.errors import BadInput
from tests.api import api_client
from tests.consistency import snapshot
from tests.mutations import CREATE_ORDER, build_shop, error, order_input
from tests.test_mutations_catalog import (
    CREATE_CATEGORY,
    CREATE_PRODUCT,
    UPDATE_CATEGORY,
    UPDATE_PRODUCT,
    product_input,
)
from tests.test_mutations_customers import (
    CREATE_CUSTOMER,
    CREATE_REP,
    UPDATE_CUSTOMER,
    UPDATE_REP,
)

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
MAX_MONEY = "10000000000.00"
JUST_PAST_MONEY = "10000000000.01"

INVALID_MONEY = "Variable '$input' has invalid value at"
DECIMAL_REFUSAL = "Expected value of type 'Decimal', but encountered error 'only ASCII digits"
MONEY_QUIRKS = [
    "1_000",
    "  5 ",
    "5 ",
    "\u0665",
    "5\u0660",
    "\uff11\uff10",
    "1e999999999999",
    "1e2",
    "1E-2",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    "",
    "+5",
    "5.",
    ".5",
    "5,00",
    "1" * 31,
    "0." + "0" * 31,
    True,
    1e300,
]
"""What ``Decimal()`` reads and a money input must not: underscores, spaces, Arabic-Indic
and fullwidth digits, exponents, NaN and infinities, hex, signs, bare points."""

CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t"]
"""NUL, bell, escape, delete, a C1 control, line feed, tab."""


async def _products(engine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(Product))


async def _orders(engine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(Order))


@pytest.mark.parametrize("field", ["costPrice", "sellingPrice"])
async def test_prices_at_most_max_cents(database_url, engine, field):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        at_limit = await client.data(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="AT", **{field: MAX_MONEY})}
        )
        before = await _products(engine)
        created = await client.graphql(
            CREATE_PRODUCT,
            {"input": product_input(shop.shoes, sku="PAST", **{field: JUST_PAST_MONEY})},
        )
        updated = await client.graphql(
            UPDATE_PRODUCT, {"input": {"id": str(shop.boot), field: JUST_PAST_MONEY}}
        )
    assert at_limit["createProduct"][field] == MAX_MONEY
    for body in (created, updated):
        assert error(body) == (
            "BAD_USER_INPUT",
            f"{field} must be at most {MAX_MONEY}, got {JUST_PAST_MONEY}",
        )
    assert await _products(engine) == before


@pytest.mark.parametrize("field", ["stockQuantity", "reorderLevel"])
async def test_stock_levels_at_most_a_billion(database_url, engine, field):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        at_limit = await client.data(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="AT", **{field: 10**9})}
        )
        past = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="PAST", **{field: 10**9 + 1})}
        )
    assert at_limit["createProduct"][field] == 10**9
    assert error(past) == ("BAD_USER_INPUT", f"{field} must be at most 1000000000, got 1000000001")


async def test_order_bounds_at_their_limits_are_accepted(database_url, engine):
    shop = await build_shop(engine, stock=2_000_000)
    async with api_client(database_url, now=NOW) as client:
        most_units = await client.data(
            CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1_000_000, "0.01"))}
        )
        largest_total = await client.data(
            CREATE_ORDER,
            {"input": order_input(shop.north, (shop.boot, 100, "100000000.00"), discount="0.01")},
        )
        all_discounted = await client.data(
            CREATE_ORDER,
            {"input": order_input(shop.north, (shop.boot, 1, MAX_MONEY), discount=MAX_MONEY)},
        )
        most_lines = await client.data(
            CREATE_ORDER, {"input": order_input(shop.south, *[(shop.sandal, 1)] * 1_000)}
        )
        oldest = await client.data(
            CREATE_ORDER,
            {"input": order_input(shop.north, (shop.cap, 1), orderDate="1970-01-01T00:00:00Z")},
        )
    assert most_units["createOrder"]["totalAmount"] == "10000.00"
    assert largest_total["createOrder"]["totalAmount"] == "9999999999.99"
    assert largest_total["createOrder"]["discount"] == "0.01"
    assert all_discounted["createOrder"]["totalAmount"] == "0.00"
    assert most_lines["createOrder"]["totalAmount"] == "40000.00"
    assert oldest["createOrder"]["orderDate"] == "1970-01-01T00:00:00+00:00"


PAST_ORDER_BOUNDS = [
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1_000_001, "0.01")),
        "items[0].quantity must be at most 1000000, got 1000001",
        id="quantity",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 0)),
        "items[0].quantity must be positive, got 0",
        id="zero-quantity",
    ),
    pytest.param(
        lambda shop: order_input(shop.south, *[(shop.sandal, 1)] * 1_001),
        "items: an order has at most 1000 items, got 1001",
        id="lines",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1, JUST_PAST_MONEY)),
        f"items[0].unitPrice must be at most {MAX_MONEY}, got {JUST_PAST_MONEY}",
        id="unit-price",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), discount=JUST_PAST_MONEY),
        f"discount must be at most {MAX_MONEY}, got {JUST_PAST_MONEY}",
        id="discount",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1_000_000, MAX_MONEY)),
        "items[0]: line total 10000000000000000.00 (1000000 x 10000000000.00) exceeds the"
        f" maximum {MAX_MONEY}",
        id="64-bit-overflow",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1_000_000, "92233720368547.75")),
        f"items[0].unitPrice must be at most {MAX_MONEY}, got 92233720368547.75",
        id="price-near-64-bits",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1, "1e999999999999")),
        f"{INVALID_MONEY} .items[0].unitPrice: {DECIMAL_REFUSAL}",
        id="price-past-the-decimal-context",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), discount="1e-999999999999"),
        f"{INVALID_MONEY} .discount: {DECIMAL_REFUSAL}",
        id="discount-below-the-decimal-context",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.boot, 100, "100000000.01")),
        f"items[0]: line total 10000000001.00 (100 x 100000000.01) exceeds the maximum {MAX_MONEY}",
        id="line-total",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.boot, 1, MAX_MONEY), (shop.cap, 1, "0.01")),
        f"items: order subtotal 10000000000.01 exceeds the maximum {MAX_MONEY}",
        id="subtotal",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 2), discount="50.01"),
        "discount 50.01 exceeds the item subtotal 50.00",
        id="discount-above-items",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="0001-01-01T00:00:00Z"),
        "orderDate must be between 1970-01-01T00:00:00+00:00 and 2999-12-31T23:59:59+00:00,"
        " got 0001-01-01T00:00:00+00:00",
        id="year-1",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="0001-01-01T00:00:00+05:00"),
        "orderDate must be between",
        id="year-1-east-of-utc",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="1969-12-31T23:59:59Z"),
        "orderDate must be between",
        id="before-1970",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="9999-12-31T23:59:59Z"),
        "orderDate must be between 1970-01-01T00:00:00+00:00 and 2999-12-31T23:59:59+00:00,"
        " got 9999-12-31T23:59:59+00:00",
        id="year-9999",
    ),
    pytest.param(
        lambda shop: order_input(shop.north, (shop.cap, 1), orderDate="9999-12-31T23:00:00-05:00"),
        "orderDate must be between",
        id="year-9999-west-of-utc",
    ),
]


@pytest.mark.parametrize(("make_input", "message"), PAST_ORDER_BOUNDS)
async def test_orders_past_a_bound_are_refused_and_change_nothing(
    database_url, engine, make_input, message
):
    shop = await build_shop(engine, stock=2_000_000)
    async with api_client(database_url, now=NOW) as client:
        await client.data(CREATE_ORDER, {"input": order_input(shop.north, (shop.boot, 1))})
        before = await snapshot(engine)
        body = await client.graphql(CREATE_ORDER, {"input": make_input(shop)})
    code, said = error(body)
    assert (code, said[: len(message)]) == ("BAD_USER_INPUT", message)
    assert await snapshot(engine) == before


def _creations(shop) -> list[tuple[str, str, dict, list[str]]]:
    """Each create mutation, a valid input, and its text fields."""
    return [
        ("createCategory", CREATE_CATEGORY, {"name": "Socks"}, ["name"]),
        (
            "createProduct",
            CREATE_PRODUCT,
            product_input(shop.shoes, brand="Acme", description="Warm"),
            ["name", "sku", "brand", "description"],
        ),
        (
            "createCustomer",
            CREATE_CUSTOMER,
            {"name": "Ann", "email": "ann@x.io", "externalId": "A1", "region": "East"}
            | {"gender": "female"},
            ["name", "email", "externalId", "region", "gender"],
        ),
        (
            "createSalesRep",
            CREATE_REP,
            {"name": "Bo", "email": "bo@x.io", "region": "East"},
            ["name", "email", "region"],
        ),
        (
            "createOrder",
            CREATE_ORDER,
            order_input(shop.north, (shop.cap, 1), paymentMode="card", channel="web"),
            ["paymentMode", "channel"],
        ),
    ]


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"U+{ord(c):04X}")
async def test_control_characters_in_text_are_refused_naming_the_field(database_url, engine, char):
    shop = await build_shop(engine)
    refused = []
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        for mutation, document, valid, fields in _creations(shop):
            for field in fields:
                if field == "description" and char in "\n\t":
                    continue
                value = f"{valid[field][:1]}{char}{valid[field][1:]}"
                body = await client.graphql(document, {"input": valid | {field: value}})
                refused.append((mutation, field, error(body)))
    for mutation, field, (code, message) in refused:
        assert code == "BAD_USER_INPUT", (mutation, field)
        assert message == (
            f"{field} must not contain control characters (U+{ord(char):04X} at position 1)"
        ), (mutation, field)
    assert await snapshot(engine) == before
    assert await _products(engine) == 3


def test_a_lone_surrogate_is_refused_like_a_control_character():
    """JSON can carry one (``\\ud800``) though UTF-8 cannot, and no database can store it."""
    with pytest.raises(BadInput, match=r"^name must not contain control characters \(U\+D800"):
        clean("A\ud800", "name")


async def test_descriptions_keep_line_breaks_and_tabs(database_url, engine):
    shop = await build_shop(engine)
    description = "Warm.\n\tMachine washable.\r\nWool."
    async with api_client(database_url) as client:
        created = await client.data(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, description=description)}
        )
    async with engine.connect() as conn:
        stored = await conn.scalar(
            select(Product.description).where(Product.id == int(created["createProduct"]["id"]))
        )
    assert stored == description


async def test_text_is_stored_in_nfc_so_composed_and_decomposed_are_one_sku(database_url, engine):
    shop = await build_shop(engine)
    composed, decomposed = "CAF\u00c9-1", "CAFE\u0301-1"
    async with api_client(database_url) as client:
        first = await client.data(
            CREATE_PRODUCT,
            {"input": product_input(shop.shoes, sku=decomposed, name="Cre\u0300me")},
        )
        again = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku=composed)}
        )
    product = first["createProduct"]
    assert (product["sku"], product["name"]) == (composed, "Cr\u00e8me")
    assert unicodedata.is_normalized("NFC", product["sku"])
    assert error(again) == (
        "BAD_USER_INPUT",
        f"sku: {composed!r} is already used by product {product['id']}",
    )


async def test_skus_are_unique_ignoring_case_on_create_and_update(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        first = (
            await client.data(CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="Tb-1")})
        )["createProduct"]
        before = await _products(engine)
        created = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="tB-1")}
        )
        updated = await client.graphql(
            UPDATE_PRODUCT, {"input": {"id": str(shop.boot), "sku": "TB-1"}}
        )
        recased = await client.data(UPDATE_PRODUCT, {"input": {"id": first["id"], "sku": "TB-1"}})
    assert error(created) == (
        "BAD_USER_INPUT",
        f"sku: 'tB-1' is already used by product {first['id']} (as 'Tb-1')",
    )
    assert error(updated) == (
        "BAD_USER_INPUT",
        f"sku: 'TB-1' is already used by product {first['id']} (as 'Tb-1')",
    )
    assert recased["updateProduct"]["sku"] == "TB-1"
    assert await _products(engine) == before


async def test_the_database_refuses_case_variant_skus_too(engine):
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO categories (id, name) VALUES (1, 'c')"))
        await conn.execute(_insert_product(1, "Ab-1"))
    with pytest.raises(Exception, match=r"(?i)unique"):
        async with engine.begin() as conn:
            await conn.execute(_insert_product(2, "aB-1"))


async def test_the_sku_migration_lists_case_variants_and_changes_nothing(empty_database_url):
    url = empty_database_url
    await upgrade_async(url, "0003")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO categories (id, name) VALUES (1, 'c')"))
            for product_id, sku in [(1, "ab-1"), (2, "AB-1"), (3, "cd-1"), (4, "Ab-1")]:
                await conn.execute(_insert_product(product_id, sku))
        with pytest.raises(Exception) as refused:
            await upgrade_async(url)
        assert str(refused.value) == (
            "3 products have SKUs that differ only by case: 'ab-1' (product 1),"
            " 'AB-1' (product 2), 'Ab-1' (product 4). SKUs are now unique ignoring case;"
            " rename these so no two are equal ignoring case, then upgrade again."
        )
        assert await current_revision(engine) == "0003"

        async with engine.begin() as conn:
            await conn.execute(text("UPDATE products SET sku = 'ab-2' WHERE id = 2"))
            await conn.execute(text("UPDATE products SET sku = 'ab-3' WHERE id = 4"))
        await upgrade_async(url)
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


def _insert_product(product_id: int, sku: str):
    return text(
        "INSERT INTO products (id, sku, name, category_id, cost_price_cents, selling_price_cents)"
        " VALUES (:id, :sku, 'p', 1, 100, 200)"
    ).bindparams(id=product_id, sku=sku)


async def test_a_refused_order_leaves_no_order_behind(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        body = await client.graphql(
            CREATE_ORDER,
            {"input": order_input(shop.north, (shop.boot, 1), (shop.cap, 1_000_000, MAX_MONEY))},
        )
    assert error(body)[0] == "BAD_USER_INPUT"
    assert await _orders(engine) == 0


READS = [
    ("query($v: String!) { searchProducts(query: $v) { id } }", "query"),
    ("query($v: String) { products(filter: {brand: $v}) { totalCount } }", "brand"),
    ("query($v: String) { products(filter: {search: $v}) { totalCount } }", "search"),
    ("query($v: String) { customers(filter: {region: $v}) { totalCount } }", "region"),
    ("query($v: String) { customers(filter: {search: $v}) { totalCount } }", "search"),
    ("query($v: String) { salesReps(filter: {region: $v}) { totalCount } }", "region"),
    ("query($v: String) { topSalesReps(region: $v) { totalOrders } }", "region"),
]


@pytest.mark.parametrize(("document", "field"), READS, ids=[f for _, f in READS])
async def test_search_and_filter_text_with_control_characters_is_refused(
    database_url, document, field
):
    async with api_client(database_url, now=NOW) as client:
        nul = await client.graphql(document, {"v": "ab\x00c"})
        long = await client.graphql(document, {"v": "x" * 257})
        fine = await client.graphql(document, {"v": "x" * 256})
    assert error(nul) == (
        "BAD_USER_INPUT",
        f"{field} must not contain control characters (U+0000 at position 2)",
    )
    assert error(long) == ("BAD_USER_INPUT", f"{field} must be at most 256 characters")
    assert "errors" not in fine, fine


async def test_a_decomposed_search_finds_the_composed_name(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        await client.data(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, name="Cr\u00e8me boot", sku="C-1")}
        )
        found = await client.data(
            "query($v: String!) { searchProducts(query: $v) { sku } }", {"v": "Cre\u0300me"}
        )
    assert found["searchProducts"] == [{"sku": "C-1"}]


@pytest.mark.parametrize("value", ["a\x00b", "a\ud800b"], ids=["NUL", "surrogate"])
async def test_a_cursor_carrying_text_no_row_can_hold_is_malformed(database_url, value):
    raw = json.dumps(["NAME", value, 1]).encode()
    cursor = base64.urlsafe_b64encode(raw).decode()
    async with api_client(database_url) as client:
        body = await client.graphql(
            "query($c: String) { products(first: 1, after: $c) { totalCount } }", {"c": cursor}
        )
    assert error(body) == ("BAD_USER_INPUT", f"malformed cursor {cursor!r}")


async def test_updates_refuse_control_characters_too(database_url, engine):
    shop = await build_shop(engine)
    updates = [
        (UPDATE_CATEGORY, {"id": str(shop.shoes), "name": "Bo\x00ts"}, "name"),
        (UPDATE_PRODUCT, {"id": str(shop.boot), "description": "Wa\x00rm"}, "description"),
        (UPDATE_PRODUCT, {"id": str(shop.boot), "brand": "Ac\x1bme"}, "brand"),
        (UPDATE_CUSTOMER, {"id": str(shop.north), "email": "a\x00b@x.io"}, "email"),
        (UPDATE_CUSTOMER, {"id": str(shop.north), "region": "No\x07rth"}, "region"),
        (UPDATE_REP, {"id": str(shop.seller), "name": "B\no"}, "name"),
    ]
    async with api_client(database_url) as client:
        before = await snapshot(engine)
        answers = [
            (field, error(await client.graphql(document, {"input": fields})))
            for document, fields, field in updates
        ]
    for field, (code, message) in answers:
        assert code == "BAD_USER_INPUT"
        assert message.startswith(f"{field} must not contain control characters (U+")
    assert await snapshot(engine) == before


async def test_a_unique_violation_past_the_checks_is_a_conflict_naming_the_constraint(
    database_url, engine, monkeypatch
):
    """The services check uniqueness first; should a clash slip past them, the database's
    refusal is a CONFLICT naming the constraint, never a 500 or the SQL and values."""

    async def no_check(*args, **kwargs) -> None:
        return None

    monkeypatch.setattr("shopx.catalog.service._check_sku_free", no_check)
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        await client.data(CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="DUP-1")})
        before = await snapshot(engine)
        body = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="dup-1")}
        )
    code, message = error(body)
    assert code == "CONFLICT"
    assert message.startswith("conflicts with an existing row (unique constraint ")
    assert "uq_products_lower_sku" in message
    assert "dup" not in message.lower() and "insert" not in message.lower()
    assert await snapshot(engine) == before


@pytest.mark.parametrize("value", MONEY_QUIRKS, ids=repr)
async def test_money_is_plain_ascii_decimals_only(database_url, engine, value):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        ordered = await client.graphql(
            CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1, value))}
        )
        priced = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="Q-1", costPrice=value)}
        )
        filtered = await client.graphql(
            "query($min: Decimal) { products(filter: {minPrice: $min}) { totalCount } }",
            {"min": value},
        )
    for body, field in ((ordered, ".items[0].unitPrice"), (priced, ".costPrice")):
        code, message = error(body)
        assert code == "BAD_USER_INPUT"
        assert message.startswith(f"{INVALID_MONEY} {field}: {DECIMAL_REFUSAL}"), message
    assert error(filtered)[0] == "BAD_USER_INPUT"
    assert await snapshot(engine) == before


@pytest.mark.parametrize(
    ("value", "stored"),
    [("5", 500), ("5.5", 550), ("0.01", 1), ("19.99", 1999), (5, 500), (19.99, 1999)],
    ids=repr,
)
async def test_plain_money_strings_and_json_numbers_are_accepted(
    database_url, engine, value, stored
):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        created = await client.data(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, sku="P-1", costPrice=value)}
        )
    async with engine.connect() as conn:
        cents = await conn.scalar(
            select(Product.cost_price_cents).where(
                Product.id == int(created["createProduct"]["id"])
            )
        )
    assert cents == stored


async def test_money_with_more_places_or_a_sign_is_refused_naming_the_field(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        places = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, costPrice="5.001")}
        )
        negative = await client.graphql(
            CREATE_PRODUCT, {"input": product_input(shop.shoes, costPrice="-5")}
        )
    assert error(places) == (
        "BAD_USER_INPUT",
        "costPrice must have at most 2 decimal places, got 5.001",
    )
    assert error(negative) == ("BAD_USER_INPUT", "costPrice must not be negative, got -5")


@pytest.mark.parametrize(
    "value", [" 1", "1 ", "\uff11", "\u0661", "+1", "1_0", "0", "-1", "1" * 5000], ids=repr
)
async def test_ids_are_plain_ascii_digits(database_url, engine, value):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        body = await client.graphql(
            CREATE_ORDER, {"input": order_input(shop.north, (shop.cap, 1)) | {"customerId": value}}
        )
    shown = value if len(value) <= 24 else value[:24] + "..."
    assert error(body) == ("BAD_USER_INPUT", f"customerId: {shown!r} is not a valid id")
    assert await snapshot(engine) == before


FORMATTING = ["\u202e", "\u200b", "\ufeff", "\U000e0001", "\u00ad", "\u200e", "\U000e0067"]
"""Right-to-left override, zero-width space, BOM, language tag, soft hyphen, left-to-right
mark, a tag letter outside an emoji tag sequence."""


@pytest.mark.parametrize("char", FORMATTING, ids=lambda c: f"U+{ord(c):04X}")
async def test_invisible_formatting_in_text_is_refused_naming_the_field(database_url, engine, char):
    shop = await build_shop(engine)
    refused = []
    async with api_client(database_url, now=NOW) as client:
        before = await snapshot(engine)
        for mutation, document, valid, fields in _creations(shop):
            for field in fields:
                value = f"{valid[field][:1]}{char}{valid[field][1:]}"
                body = await client.graphql(document, {"input": valid | {field: value}})
                refused.append((mutation, field, error(body)))
    for mutation, field, (code, message) in refused:
        assert (code, message) == (
            "BAD_USER_INPUT",
            f"{field} must not contain invisible formatting characters"
            f" (U+{ord(char):04X} at position 1)",
        ), (mutation, field)
    assert await snapshot(engine) == before


def test_private_use_characters_are_refused():
    with pytest.raises(BadInput, match=r"^name must not contain private-use characters \(U\+E000"):
        clean("A\ue000", "name")


@pytest.mark.parametrize(
    "name",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    ],
    ids=["persian-zwnj", "emoji-zwj-family", "flag-of-england-tags"],
)
async def test_joiners_and_emoji_tag_sequences_are_kept(database_url, engine, name):
    async with api_client(database_url) as client:
        created = await client.data(CREATE_CATEGORY, {"input": {"name": name}})
    assert created["createCategory"]["name"] == name
