from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shopx.auth import Role
from shopx.db.models import SalesRepresentative
from tests.api import api_client
from tests.consistency import assert_consistent, customer_stats, snapshot
from tests.mutations import CREATE_ORDER, build_shop, error, order_input

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

CUSTOMER_FIELDS = "id name email externalId region gender age isActive orderCount"
CREATE_CUSTOMER = f"""
mutation($input: CreateCustomerInput!) {{ createCustomer(input: $input) {{ {CUSTOMER_FIELDS} }} }}
"""
UPDATE_CUSTOMER = f"""
mutation($input: UpdateCustomerInput!) {{ updateCustomer(input: $input) {{ {CUSTOMER_FIELDS} }} }}
"""
DELETE_CUSTOMER = f"""
mutation($input: DeleteCustomerInput!) {{ deleteCustomer(input: $input) {{ {CUSTOMER_FIELDS} }} }}
"""
REP_FIELDS = "id name email region commissionRate isActive"
CREATE_REP = f"""
mutation($input: CreateSalesRepInput!) {{ createSalesRep(input: $input) {{ {REP_FIELDS} }} }}
"""
UPDATE_REP = f"""
mutation($input: UpdateSalesRepInput!) {{ updateSalesRep(input: $input) {{ {REP_FIELDS} }} }}
"""


async def test_customer_lifecycle(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        created = await client.data(
            CREATE_CUSTOMER,
            {"input": {"name": " Ada ", "email": "Ada@Example.com", "region": "West", "age": 36}},
        )
        customer = created["createCustomer"]
        assert (customer["name"], customer["email"], customer["age"]) == (
            "Ada",
            "ada@example.com",
            36,
        )
        changed = await client.data(
            UPDATE_CUSTOMER, {"input": {"id": customer["id"], "age": None, "gender": "F"}}
        )
        assert changed["updateCustomer"]["age"] is None
        assert changed["updateCustomer"]["region"] == "West"
        nameless = await client.graphql(
            UPDATE_CUSTOMER, {"input": {"id": customer["id"], "name": None}}
        )
        assert error(nameless) == ("BAD_USER_INPUT", "name must not be null")
        deleted = await client.data(DELETE_CUSTOMER, {"input": {"id": customer["id"]}})
        assert deleted["deleteCustomer"]["isActive"] is False
        body = await client.graphql(
            CREATE_ORDER, {"input": order_input(int(customer["id"]), (shop.cap, 1))}
        )
    assert error(body) == ("BAD_USER_INPUT", f"customerId: customer {customer['id']} is deleted")


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"email": "not-an-email"}, "BAD_USER_INPUT", "email: 'not-an-email' is not a valid"),
        ({"email": "TAKEN@example.com"}, "BAD_USER_INPUT", "email: 'taken@example.com' is already"),
        ({"externalId": "X-1"}, "BAD_USER_INPUT", "externalId: 'X-1' is already used by customer"),
        ({"age": 151}, "BAD_USER_INPUT", "age must be between 0 and 150, got 151"),
        ({"age": -1}, "BAD_USER_INPUT", "age must be between 0 and 150, got -1"),
    ],
)
async def test_bad_customer_input_is_rejected_and_changes_nothing(
    database_url, engine, fields, code, message
):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        await client.data(
            CREATE_CUSTOMER,
            {"input": {"name": "T", "email": "taken@example.com", "externalId": "X-1"}},
        )
        before = await snapshot(engine)
        new = {"name": "N", "email": "n@example.com"} | fields
        created = await client.graphql(CREATE_CUSTOMER, {"input": new})
        updated = await client.graphql(UPDATE_CUSTOMER, {"input": {"id": str(shop.north)} | fields})
    for body in (created, updated):
        assert error(body)[0] == code
        assert message in error(body)[1]
    assert await snapshot(engine) == before


async def test_a_customer_changing_region_takes_their_orders_along(database_url, engine):
    shop = await build_shop(engine)
    async with api_client(database_url, now=NOW, timezone=NY.key) as client:
        for moment, mode, status in [
            ("2026-11-01T03:59:00Z", "card", "COMPLETED"),
            ("2026-11-01T04:00:00Z", None, "PENDING"),
            ("2026-11-01T04:30:00Z", "cash", "COMPLETED"),
        ]:
            for customer in (shop.north, shop.south):
                variables = order_input(
                    customer, (shop.boot, 1), (shop.cap, 2), orderDate=moment, status=status
                ) | {"paymentMode": mode, "discount": "1.25"}
                await client.data(CREATE_ORDER, {"input": variables})
        stats_before = await customer_stats(engine)
        for region in ("South", None, "North"):
            moved = await client.data(
                UPDATE_CUSTOMER, {"input": {"id": str(shop.north), "region": region}}
            )
            assert moved["updateCustomer"]["region"] == region
            await assert_consistent(engine, NY)
    assert await customer_stats(engine) == stats_before


async def test_sales_rep_commission_is_kept_in_basis_points(database_url, engine):
    async with api_client(database_url) as client:
        created = await client.data(
            CREATE_REP,
            {"input": {"name": "Rae", "email": "rae@example.com", "commissionRate": 5.25}},
        )
        rep = created["createSalesRep"]
        assert rep["commissionRate"] == 5.25
        updated = await client.data(
            UPDATE_REP, {"input": {"id": rep["id"], "commissionRate": 12.1, "region": "East"}}
        )
        assert (
            updated["updateSalesRep"]["commissionRate"],
            updated["updateSalesRep"]["region"],
        ) == (
            12.1,
            "East",
        )
        too_high = await client.graphql(
            UPDATE_REP, {"input": {"id": rep["id"], "commissionRate": 100.5}}
        )
        too_fine = await client.graphql(
            UPDATE_REP, {"input": {"id": rep["id"], "commissionRate": 1.234}}
        )
        taken = await client.graphql(
            CREATE_REP, {"input": {"name": "R2", "email": "RAE@example.com"}}
        )
        unknown = await client.graphql(UPDATE_REP, {"input": {"id": "999", "name": "Nobody"}})
    async with engine.connect() as conn:
        stored = await conn.scalar(select(SalesRepresentative.commission_rate_bp))
    assert stored == 1_210
    assert error(too_high) == (
        "BAD_USER_INPUT",
        "commissionRate must be a percentage from 0 to 100, got 100.5",
    )
    assert error(too_fine) == (
        "BAD_USER_INPUT",
        "commissionRate must have at most 2 decimal places, got 1.234",
    )
    assert error(taken)[0] == "BAD_USER_INPUT"
    assert "email: 'rae@example.com' is already used by sales rep" in error(taken)[1]
    assert error(unknown) == ("NOT_FOUND", "sales rep 999 not found")


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.ANALYST, "FORBIDDEN"), (Role.VIEWER, "FORBIDDEN"), (None, "UNAUTHENTICATED")],
)
async def test_only_admins_write_customers_and_reps(database_url, engine, role, code):
    shop = await build_shop(engine)
    async with api_client(database_url) as client:
        before = await snapshot(engine)
        bodies = [
            await client.graphql(
                CREATE_CUSTOMER, {"input": {"name": "N", "email": "n@example.com"}}, role=role
            ),
            await client.graphql(
                UPDATE_CUSTOMER, {"input": {"id": str(shop.north), "region": "X"}}, role=role
            ),
            await client.graphql(
                CREATE_REP, {"input": {"name": "R", "email": "r@example.com"}}, role=role
            ),
        ]
    assert [error(body)[0] for body in bodies] == [code] * 3
    assert await snapshot(engine) == before
