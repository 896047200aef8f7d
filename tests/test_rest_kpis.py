"""``/api/v1/kpis/summary`` against an independent recomputation from the raw rows, its
cache (ETag, 304, a write showing on the next read), auth and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from shopx.auth import Role
from shopx.db.engine import create_engine
from tests import oracle
from tests.api import ApiClient, api_client
from tests.conftest import SEED_NOW

SUMMARY = "/api/v1/kpis/summary"
STATUSES = ("COMPLETED",)


def bearer(client: ApiClient, role: Role = Role.VIEWER) -> dict[str, str]:
    return {"authorization": f"Bearer {client.token(role)}"}


async def load(url: str) -> oracle.Shop:
    engine = create_engine(url)
    try:
        return await oracle.load_shop(engine)
    finally:
        await engine.dispose()


def spans(days: int, now: datetime) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """The last ``days`` UTC calendar days to ``now``, and the span of equal length before."""
    midnight = datetime(now.year, now.month, now.day, tzinfo=UTC)
    start = midnight - timedelta(days=days - 1)
    return (start, now), (start - (now - start), start)


def growth(now: Fraction, before: Fraction) -> float | None:
    return round(float((now - before) * 100 / abs(before)), 4) if before else None


@pytest.mark.parametrize("days", [1, 7, 30, 90, 366])
async def test_the_summary_is_the_raw_rows_recomputed(seeded_url, days):
    shop = await load(seeded_url)
    (start, end), (before_start, before_end) = spans(days, SEED_NOW)
    current = oracle.within(shop, start, end)
    previous = oracle.within(shop, before_start, before_end)
    now, before = (
        oracle.sales_measures(current, STATUSES),
        oracle.sales_measures(previous, STATUSES),
    )
    async with api_client(seeded_url, now=SEED_NOW) as client:
        response = await client.http.get(
            SUMMARY, params={"days_back": days}, headers=bearer(client)
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert datetime.fromisoformat(body["period"]["start"]) == start
    assert datetime.fromisoformat(body["previous_period"]["start"]) == before_start
    for name, shown in [("revenue", oracle.money), ("orders", int), ("customers", int)]:
        assert body[name] == {
            "current": shown(now[name]),
            "previous": shown(before[name]),
            "change": shown(now[name] - before[name]),
            "change_percentage": growth(Fraction(now[name]), Fraction(before[name])),
        }, name

    def aov(measures: dict[str, int]) -> Fraction:
        return (
            Fraction(measures["revenue"], measures["orders"]) if measures["orders"] else Fraction(0)
        )

    changes = oracle.overview_changes(now, before)
    assert body["average_order_value"]["change"] == changes["aovChange"]
    assert body["average_order_value"]["change_percentage"] == growth(aov(now), aov(before))
    assert (
        body["average_order_value"]["current"]
        == oracle.overview(current, STATUSES)["averageOrderValue"]
    )

    sales = oracle.product_sales(current, STATUSES)
    earlier = oracle.product_sales(previous, STATUSES)
    ranked = sorted(sales, key=lambda product: (-sales[product][0], product))[:5]
    assert [item["product_id"] for item in body["top_products"]] == [str(p) for p in ranked]
    for rank, (item, product) in enumerate(zip(body["top_products"], ranked, strict=True), 1):
        revenue, _, units, orders = sales[product]
        was = earlier.get(product, [0])[0]
        assert item["rank"] == rank
        assert (item["revenue"], item["units_sold"], item["order_count"]) == (
            oracle.money(revenue),
            units,
            orders,
        )
        assert item["growth_rate"] == growth(Fraction(revenue), Fraction(was))


async def test_a_new_order_shows_on_the_next_read_and_etags_answer_304(shop_copy):
    async with api_client(shop_copy, now=SEED_NOW) as client:
        auth = bearer(client)
        first = await client.http.get(SUMMARY, headers=auth)
        same = await client.http.get(
            SUMMARY, headers={**auth, "if-none-match": first.headers["etag"]}
        )
        hit = await client.http.get(SUMMARY, headers=auth)
        ids = await client.data(
            "{ customers(first: 1) { edges { node { id } } }"
            " products(first: 1, filter: {inStock: true}) { edges { node { id } } } }"
        )
        created = await client.data(
            "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }",
            {
                "input": {
                    "customerId": ids["customers"]["edges"][0]["node"]["id"],
                    "items": [
                        {"productId": ids["products"]["edges"][0]["node"]["id"], "quantity": 1}
                    ],
                    "status": "COMPLETED",
                    # the clock stands still at SEED_NOW, and the span ends before now
                    "orderDate": (SEED_NOW - timedelta(minutes=5)).isoformat(),
                }
            },
        )
        after = await client.http.get(
            SUMMARY, headers={**auth, "if-none-match": first.headers["etag"]}
        )
    assert first.status_code == 200 and same.status_code == 304
    assert hit.headers["x-cache"].startswith("HIT")
    assert created["createOrder"]["id"]
    assert after.status_code == 200
    assert after.json()["orders"]["current"] == first.json()["orders"]["current"] + 1
    assert after.headers["etag"] != first.headers["etag"]


async def test_any_role_may_read_it_and_nobody_without_a_token(seeded_url):
    async with api_client(seeded_url, now=SEED_NOW) as client:
        anonymous = await client.http.get(SUMMARY)
        viewer = await client.http.get(SUMMARY, headers=bearer(client, Role.VIEWER))
    async with api_client(seeded_url, now=SEED_NOW, anonymous_reads=True) as client:
        open_shop = await client.http.get(SUMMARY)
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "UNAUTHENTICATED")
    assert viewer.status_code == 200 and open_shop.status_code == 200


@pytest.mark.parametrize("days", ["0", "367", "-3", "ten", "1.5"])
async def test_days_back_out_of_bounds_is_a_400(seeded_url, days):
    async with api_client(seeded_url, now=SEED_NOW) as client:
        response = await client.http.get(
            SUMMARY, params={"days_back": days}, headers=bearer(client)
        )
    assert response.status_code == 400
    assert response.json()["error"] == "BAD_USER_INPUT" and "days_back" in response.json()["detail"]
