"""The API's sales numbers against an independent recomputation from raw rows, to the cent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from shopx.analytics.periods import Comparison, Period, comparison_span, resolve
from shopx.calendar import QUARTER_HOUR, UNIX_EPOCH
from tests import oracle
from tests.api import api_client
from tests.conftest import CLOCKS, QUIET_NOW, SEED_NOW

UTC_ZONE = ZoneInfo("UTC")
STATUSES = ("COMPLETED",)
CUSTOM = (date(2026, 2, 10), date(2026, 5, 3))
PERIODS = [
    ("TODAY", None),
    ("YESTERDAY", None),
    ("MONTH", None),
    ("LAST_MONTH", None),
    ("QUARTER", None),
    ("YEAR", None),
    ("CUSTOM", CUSTOM),
]
EMPTY_YEAR_BEFORE = (date(2025, 1, 1), date(2025, 3, 31))
"""Sales, and none a year earlier (the seeded shop starts in November 2024)."""
AFTER_SALES = (date(2026, 12, 1), date(2026, 12, 31))
"""No sales (no revenue, no margin), against periods that have them."""
BEFORE_SALES = (date(2024, 2, 1), date(2024, 3, 31))
"""No sales, and none to compare with; a leap February, one day longer than a year before."""
COMPARED = ("revenue", "orders", "aov", "customers", "units", "profit")
PERCENTAGES = {f"{name}ChangePercentage" for name in COMPARED}
CHANGES = [f"{name}Change {name}ChangePercentage" for name in COMPARED] + ["marginChange"]
OVERVIEW = f"""query($p: Period!, $r: DateRangeInput, $c: Comparison!) {{
  salesOverview(period: $p, dateRange: $r, compareTo: $c) {{
    totalRevenue totalOrders averageOrderValue uniqueCustomers unitsSold totalProfit
    totalDiscount cancelledOrders cancelledRevenue {" ".join(CHANGES)}
  }}
}}"""


def _span(period: str, custom: tuple[date, date] | None, tz: ZoneInfo = UTC_ZONE, now=SEED_NOW):
    return resolve(Period(period), now=now, tz=tz, date_range=custom)


def _range(custom: tuple[date, date] | None) -> dict[str, str] | None:
    return (
        {"startDate": custom[0].isoformat(), "endDate": custom[1].isoformat()} if custom else None
    )


@pytest.fixture
async def shop(seeded_url):
    from shopx.db.engine import create_engine

    engine = create_engine(seeded_url)
    try:
        yield await oracle.load_shop(engine)
    finally:
        await engine.dispose()


async def _overview_against_raw_rows(url, shop, period, custom, comparison, now) -> dict:
    """salesOverview's answer, checked field by field against the raw rows."""
    span = _span(period, custom, now=now)
    before = comparison_span(span, Comparison(comparison), UTC_ZONE)
    current = oracle.within(shop, span.start, span.end)
    previous = oracle.within(shop, before.start, before.end)
    expected = oracle.overview(current, STATUSES) | oracle.overview_changes(
        oracle.sales_measures(current, STATUSES), oracle.sales_measures(previous, STATUSES)
    )

    async with api_client(url, now=now) as client:
        variables = {"p": period, "r": _range(custom), "c": comparison}
        got = (await client.data(OVERVIEW, variables))["salesOverview"]

    assert got == expected
    return got


@pytest.mark.parametrize(("period", "custom"), PERIODS)
@pytest.mark.parametrize("comparison", ["PREVIOUS_PERIOD", "PREVIOUS_YEAR"])
@CLOCKS
async def test_sales_overview_matches_raw_rows(seeded_url, shop, period, custom, comparison, now):
    got = await _overview_against_raw_rows(seeded_url, shop, period, custom, comparison, now)
    assert got["totalOrders"] > 0 or period == "TODAY"


ODD_NOW = datetime(2026, 11, 20, 15, 37, 20, 500_000, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
"""A clock off the quarters of an hour: a period's partial days end (and its comparison
period's begin) inside a quarter, whose minutes are read from raw orders."""


async def _with_orders_in_the_minutes(url: str, zone: str, spans: list) -> oracle.Shop:
    """An order placed a minute inside each end of ``spans`` that falls inside a quarter of
    an hour (the minutes read from raw orders), then the shop's raw rows."""
    from sqlalchemy import text

    from shopx.db.engine import create_engine
    from tests.mutations import CREATE_ORDER, order_input

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            product = await conn.scalar(
                text("SELECT id FROM products WHERE is_active ORDER BY stock_quantity DESC")
            )
            customer = await conn.scalar(text("SELECT min(id) FROM customers WHERE is_active"))
        moments = [
            moment
            for span in spans
            for moment, inside in (
                (span.start + MINUTE, span.start),
                (span.end - MINUTE, span.end),
            )
            if (inside - UNIX_EPOCH) % QUARTER_HOUR
        ]
        assert moments, "no end of these spans falls inside a quarter of an hour"
        async with api_client(url, now=ODD_NOW, timezone=zone) as client:
            for moment in moments:
                order = order_input(
                    customer, (product, 1), status="COMPLETED", orderDate=moment.isoformat()
                )
                await client.data(CREATE_ORDER, {"input": order})
        return await oracle.load_shop(engine)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("period", ["TODAY", "WEEK", "MONTH"])
async def test_partial_days_off_the_quarter_hours_match_raw_rows(
    dialect, seeded_shops, tmp_path, zone, period
):
    """The partial days at a span's edges come from whole quarters of an hour and the raw
    minutes around them (in Kolkata local midnights fall on half hours): the overview
    against the previous period, and the trend per day, to the cent."""
    tz = ZoneInfo(zone)
    span = _span(period, None, tz, now=ODD_NOW)
    before = comparison_span(span, Comparison.PREVIOUS_PERIOD, tz)
    url = await seeded_shops.copy(dialect, zone, tmp_path)
    raw = await _with_orders_in_the_minutes(url, zone, [span, before])
    current = oracle.within(raw, span.start, span.end)
    previous = oracle.within(raw, before.start, before.end)
    expected = oracle.overview(current, STATUSES) | oracle.overview_changes(
        oracle.sales_measures(current, STATUSES), oracle.sales_measures(previous, STATUSES)
    )
    daily = oracle.daily_revenue(current, STATUSES, tz, month=False)
    async with api_client(url, now=ODD_NOW, timezone=zone) as client:
        variables = {"p": period, "r": None, "c": "PREVIOUS_PERIOD"}
        got = (await client.data(OVERVIEW, variables))["salesOverview"]
        points = (await client.data(TRENDS, {"p": period, "g": "DAY", "r": None}))["salesTrends"]

    assert got == expected
    assert got["totalOrders"] > 0
    per_day = {
        datetime.fromisoformat(point["timestamp"]).astimezone(tz).date(): point["value"]
        for point in points
    }
    assert per_day == {day: oracle.money(daily.get(day, 0)) for day in per_day}
    assert set(daily) <= set(per_day)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
async def test_hours_off_the_quarter_hours_match_raw_rows(dialect, seeded_shops, tmp_path, zone):
    """Today's revenue per hour comes from whole quarters of an hour and the raw minutes
    after the last one (an hour in Kolkata starts on a half hour), to the cent."""
    tz = ZoneInfo(zone)
    span = _span("TODAY", None, tz, now=ODD_NOW)
    url = await seeded_shops.copy(dialect, zone, tmp_path)
    raw = await _with_orders_in_the_minutes(url, zone, [span])
    hourly: dict[datetime, int] = {}
    for order in oracle.within(raw, span.start, span.end):
        if order.status in STATUSES:
            hour = order.at.astimezone(tz).replace(minute=0, second=0, microsecond=0)
            hourly[hour] = hourly.get(hour, 0) + order.total
    async with api_client(url, now=ODD_NOW, timezone=zone) as client:
        points = (await client.data(TRENDS, {"p": "TODAY", "g": "HOUR", "r": None}))["salesTrends"]

    got = {datetime.fromisoformat(point["timestamp"]): point["value"] for point in points}
    assert got == {hour: oracle.money(hourly.get(hour, 0)) for hour in got}
    assert set(hourly) <= set(got)
    assert hourly


@pytest.mark.parametrize(
    ("custom", "comparison", "nulls"),
    [
        (EMPTY_YEAR_BEFORE, "PREVIOUS_YEAR", PERCENTAGES | {"marginChange"}),
        (AFTER_SALES, "PREVIOUS_PERIOD", {"marginChange"}),
        (AFTER_SALES, "PREVIOUS_YEAR", {"marginChange"}),
        (BEFORE_SALES, "PREVIOUS_YEAR", PERCENTAGES | {"marginChange"}),
    ],
)
async def test_overview_changes_without_a_comparison_value_or_margin(
    seeded_url, shop, custom, comparison, nulls
):
    got = await _overview_against_raw_rows(seeded_url, shop, "CUSTOM", custom, comparison, SEED_NOW)
    assert {key for key, value in got.items() if value is None} == nulls
    if custom == AFTER_SALES:
        assert got["revenueChangePercentage"] == got["unitsChangePercentage"] == -100.0


TRENDS = """query($p: Period!, $g: Granularity, $r: DateRangeInput) {
  salesTrends(period: $p, metric: REVENUE, granularity: $g, dateRange: $r) {
    timestamp label value previousValue previousOrderCount
  }
}"""


@pytest.mark.parametrize(
    ("period", "custom", "granularity"),
    [
        ("MONTH", None, "DAY"),
        ("YEAR", None, "MONTH"),
        ("CUSTOM", CUSTOM, "DAY"),
        ("LAST_MONTH", None, "DAY"),
    ],
)
@CLOCKS
async def test_sales_trends_match_raw_rows(seeded_url, shop, period, custom, granularity, now):
    span = _span(period, custom, now=now)
    expected = oracle.daily_revenue(
        oracle.within(shop, span.start, span.end), STATUSES, UTC_ZONE, month=granularity == "MONTH"
    )
    async with api_client(seeded_url, now=now) as client:
        points = (await client.data(TRENDS, {"p": period, "g": granularity, "r": _range(custom)}))[
            "salesTrends"
        ]
    got = {date.fromisoformat(point["timestamp"][:10]): point["value"] for point in points}
    assert got == {day: oracle.money(expected.get(day, 0)) for day in got}
    assert set(expected) <= set(got)
    assert {(p["previousValue"], p["previousOrderCount"]) for p in points} == {(None, None)}


COMPARED_TRENDS = """query($p: Period!, $g: Granularity, $r: DateRangeInput, $c: Comparison!) {
  salesTrends(
    period: $p, metric: REVENUE, granularity: $g, dateRange: $r, compare: true, compareTo: $c
  ) { value orderCount previousValue previousOrderCount }
}"""


@pytest.mark.parametrize(
    ("period", "custom", "granularity"),
    [
        ("TODAY", None, "HOUR"),
        ("MONTH", None, "DAY"),
        ("QUARTER", None, "WEEK"),
        ("YEAR", None, "MONTH"),
        ("CUSTOM", CUSTOM, "DAY"),
        ("CUSTOM", EMPTY_YEAR_BEFORE, "DAY"),
        ("CUSTOM", BEFORE_SALES, "DAY"),
    ],
)
@pytest.mark.parametrize("comparison", ["PREVIOUS_PERIOD", "PREVIOUS_YEAR"])
@CLOCKS
async def test_sales_trend_comparisons_match_raw_rows(
    seeded_url, shop, period, custom, granularity, comparison, now
):
    """Bucket i of the comparison is the i-th bucket of the comparison span, cut alike."""
    span = _span(period, custom, now=now)
    before = comparison_span(span, Comparison(comparison), UTC_ZONE)
    current = oracle.series(shop.orders, STATUSES, UTC_ZONE, (span.start, span.end), granularity)
    earlier = oracle.series(
        shop.orders, STATUSES, UTC_ZONE, (before.start, before.end), granularity
    )
    expected = [
        {
            "value": oracle.money(revenue),
            "orderCount": orders,
            "previousValue": oracle.money(earlier[i][0]) if i < len(earlier) else None,
            "previousOrderCount": earlier[i][1] if i < len(earlier) else None,
        }
        for i, (revenue, orders) in enumerate(current)
    ]
    async with api_client(seeded_url, now=now) as client:
        variables = {"p": period, "g": granularity, "r": _range(custom), "c": comparison}
        points = (await client.data(COMPARED_TRENDS, variables))["salesTrends"]

    assert points == expected
    if custom == BEFORE_SALES and comparison == "PREVIOUS_YEAR":
        assert len(earlier) == len(current) - 1  # 29 February has no twin
    no_history = custom == BEFORE_SALES or (
        custom == EMPTY_YEAR_BEFORE and comparison == "PREVIOUS_YEAR"
    )
    assert any(point["previousOrderCount"] for point in points) != no_history


TOP = """query($p: Period!, $s: ProductSort!, $r: DateRangeInput) {
  topProducts(period: $p, sortBy: $s, limit: 15, dateRange: $r) {
    rank revenue unitsSold orderCount profit product { id }
  }
}"""
SORT_KEYS = {
    "REVENUE": lambda cell: cell[0],
    "PROFIT": lambda cell: cell[0] - cell[1],
    "UNITS": lambda cell: cell[2],
    "MARGIN": lambda cell: Fraction(cell[0] - cell[1], cell[0]) if cell[0] else None,
}
SORTS = [f"{measure}_{way}" for measure in SORT_KEYS for way in ("DESC", "ASC")] + ["GROWTH_DESC"]


def _ranked(sales, before, sort):
    """The oracle's ranking: nulls last, ties by product id."""
    if sort == "GROWTH_DESC":

        def key(kv):
            previous = before.get(kv[0], [0])[0]
            change = Fraction(kv[1][0] - previous) * 100 / previous if previous else None
            rate = round(float(change), 4) if change is not None else None
            return (rate is None, -(rate or 0), kv[0])

    else:
        measure, direction = sort.rsplit("_", 1)
        sign = -1 if direction == "DESC" else 1

        def key(kv):
            value = SORT_KEYS[measure](kv[1])
            return (value is None, sign * (value or 0), kv[0])

    return sorted(sales.items(), key=key)[:15]


TOP_CASES = [
    (period, custom, sort, SEED_NOW)
    for period, custom in [("MONTH", None), ("YEAR", None), ("CUSTOM", CUSTOM)]
    for sort in SORTS
] + [
    (period, None, sort, QUIET_NOW)
    for period in ("MONTH", "YEAR")
    for sort in ("REVENUE_DESC", "MARGIN_ASC", "GROWTH_DESC")
]


@pytest.mark.parametrize(("period", "custom", "sort", "now"), TOP_CASES)
async def test_top_products_match_raw_rows(seeded_url, shop, period, custom, sort, now):
    span = _span(period, custom, now=now)
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, UTC_ZONE)
    sales = oracle.product_sales(oracle.within(shop, span.start, span.end), STATUSES)
    before = oracle.product_sales(oracle.within(shop, earlier.start, earlier.end), STATUSES)
    ranked = _ranked(sales, before, sort)

    async with api_client(seeded_url, now=now) as client:
        rows = (await client.data(TOP, {"p": period, "s": sort, "r": _range(custom)}))[
            "topProducts"
        ]

    expected = [
        {
            "rank": rank,
            "revenue": oracle.money(cell[0]),
            "unitsSold": cell[2],
            "orderCount": cell[3],
            "profit": oracle.money(cell[0] - cell[1]),
            "product": {"id": str(product)},
        }
        for rank, (product, cell) in enumerate(ranked, start=1)
    ]
    assert rows == expected


ACROSS_A_MONTH_START = [
    (date(2026, 8, 31), date(2026, 9, 30)),  # a raw day, then a whole month
    (date(2026, 9, 30), date(2026, 10, 27)),  # a raw day, then a month less its rest
]


@pytest.mark.parametrize("custom", ACROSS_A_MONTH_START)
async def test_a_ranking_across_a_month_start_ranks_only_its_candidates(seeded_url, shop, custom):
    """A span of one month's rollup rows and raw items (30 days across a month's start)
    ranks only the products that can reach the top (:func:`ranking_candidates`), and
    answers as the sums of every product do."""
    from shopx.analytics.items import product_parts, ranking_candidates
    from shopx.analytics.reporting import ReportingRules
    from shopx.db.engine import create_engine, session_factory

    span = _span("CUSTOM", custom)
    earlier = comparison_span(span, Comparison.PREVIOUS_PERIOD, UTC_ZONE)
    sales = oracle.product_sales(oracle.within(shop, span.start, span.end), STATUSES)
    before = oracle.product_sales(oracle.within(shop, earlier.start, earlier.end), STATUSES)
    engine = create_engine(seeded_url)
    try:
        async with session_factory(engine)() as session:
            rules = ReportingRules(tz=UTC_ZONE, statuses=STATUSES)
            parts = await product_parts(session, span, rules)
            candidates = await ranking_candidates(session, parts, rules, 5)
    finally:
        await engine.dispose()
    async with api_client(seeded_url) as client:
        variables = {"p": "CUSTOM", "s": "REVENUE_DESC", "r": _range(custom)}
        rows = (await client.data(TOP.replace("limit: 15", "limit: 5"), variables))["topProducts"]

    assert candidates is not None
    assert 5 <= len(candidates) < len(sales) / 2
    ranked = _ranked(sales, before, "REVENUE_DESC")[:5]
    assert [row["product"]["id"] for row in rows] == [str(product) for product, _ in ranked]
    assert [row["revenue"] for row in rows] == [oracle.money(cell[0]) for _, cell in ranked]
    assert [row["orderCount"] for row in rows] == [cell[3] for _, cell in ranked]


ALL_STATUSES = ("PENDING", "PROCESSING", "COMPLETED", "CANCELLED", "REFUNDED")


@pytest.mark.parametrize("best_rows", [1, 3, 50])
async def test_what_raw_days_add_to_a_product_is_bounded_by_its_month(
    seeded_url, shop, monkeypatch, best_rows
):
    """:func:`most_sold` is the bound its definition gives, recomputed from the raw rows,
    and never under the most any product sold in the raw days (every status), however few
    of a month's best rows it sums exactly. With enough rows it is the most exactly."""
    from shopx.analytics import items
    from shopx.analytics.periods import Span
    from shopx.db.engine import create_engine, session_factory

    monkeypatch.setattr(items, "BOUND_ROWS", best_rows)
    months = [  # (the month, its raw days)
        (
            Span(datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)),
            Span(datetime(2026, 9, 29, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)),
        ),
        (
            Span(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)),
            Span(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 2, 6, tzinfo=UTC)),
        ),
    ]
    most = expected = 0
    for month, days in months:
        sold = oracle.product_sales(oracle.within(shop, days.start, days.end), ALL_STATUSES)
        most += max(cell[0] for cell in sold.values())
        month_orders = oracle.within(shop, month.start, month.end)
        best = []
        for status in ALL_STATUSES:
            sales = oracle.product_sales(month_orders, (status,))
            best.append(sorted(sales.items(), key=lambda kv: (-kv[1][0], kv[0]))[:best_rows])
        among = {product for rows in best for product, _ in rows}
        rest = sum(rows[-1][1][0] for rows in best if len(rows) == best_rows)
        expected += max(max(sold.get(product, [0])[0] for product in among), rest)
    engine = create_engine(seeded_url)
    try:
        async with session_factory(engine)() as session:
            bound = await items.most_sold(session, [days for _, days in months], UTC_ZONE)
    finally:
        await engine.dispose()

    assert bound == expected
    assert bound >= most
    if best_rows == 50:
        assert bound == most


BREAKDOWN = """query($p: Period!, $r: DateRangeInput) {
  categoryBreakdown(period: $p, dateRange: $r) {
    revenue profit unitsSold orderCount category { id }
  }
}"""


@pytest.mark.parametrize(
    ("period", "custom"), [("TODAY", None), ("MONTH", None), ("YEAR", None), ("CUSTOM", CUSTOM)]
)
@CLOCKS
async def test_category_breakdown_matches_raw_rows(seeded_url, shop, period, custom, now):
    span = _span(period, custom, now=now)
    sales = oracle.category_sales(shop, oracle.within(shop, span.start, span.end), STATUSES)
    async with api_client(seeded_url, now=now) as client:
        rows = (await client.data(BREAKDOWN, {"p": period, "r": _range(custom)}))[
            "categoryBreakdown"
        ]
    got = {int(row["category"]["id"]): row for row in rows}
    tops = {c for c, parent in shop.category_parent.items() if parent is None}
    assert set(got) == tops
    for category, row in got.items():
        revenue, cost, units, orders = sales.get(category, [0, 0, 0, 0])
        assert row == {
            "revenue": oracle.money(revenue),
            "profit": oracle.money(revenue - cost),
            "unitsSold": units,
            "orderCount": orders,
            "category": {"id": str(category)},
        }


CUSTOMER_TRENDS = """query($p: Period!, $g: Granularity) {
  salesTrends(period: $p, metric: CUSTOMERS, granularity: $g) { timestamp value customerCount }
}"""


@pytest.mark.parametrize(
    ("period", "granularity", "cut"),
    [
        ("TODAY", "HOUR", lambda at: at.replace(minute=0, second=0, microsecond=0)),
        ("MONTH", "DAY", lambda at: at.replace(hour=0, minute=0, second=0, microsecond=0)),
    ],
)
async def test_customer_counts_per_bucket_match_raw_rows(
    seeded_url, shop, period, granularity, cut
):
    span = _span(period, None)
    buyers: dict = {}
    for order in oracle.within(shop, span.start, span.end):
        if order.status in STATUSES:
            buyers.setdefault(max(cut(order.at), span.start), set()).add(order.customer_id)
    async with api_client(seeded_url, now=SEED_NOW) as client:
        points = (await client.data(CUSTOMER_TRENDS, {"p": period, "g": granularity}))[
            "salesTrends"
        ]
    got = {point["timestamp"]: point["customerCount"] for point in points}
    expected = {moment.isoformat(): len(found) for moment, found in buyers.items()}
    assert {moment: got[moment] for moment in expected} == expected
    assert sum(got.values()) == sum(expected.values()) > 0
    assert all(point["value"] == str(point["customerCount"]) for point in points)


async def test_category_product_counts_cover_each_subtree(seeded_url):
    from sqlalchemy import text

    from shopx.db.engine import create_engine

    engine = create_engine(seeded_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT p.category_id, c.parent_id FROM products p"
                    " JOIN categories c ON c.id = p.category_id WHERE p.is_active"
                )
            )
            expected: dict[int, int] = {}
            for category, parent in rows:
                for key in {category, parent} - {None}:
                    expected[key] = expected.get(key, 0) + 1
    finally:
        await engine.dispose()
    query = "{ categoryBreakdown(period: YEAR) { productCount category { id } } }"
    async with api_client(seeded_url, now=SEED_NOW) as client:
        rows = (await client.data(query))["categoryBreakdown"]
    assert rows
    assert {int(row["category"]["id"]): row["productCount"] for row in rows} == {
        int(row["category"]["id"]): expected.get(int(row["category"]["id"]), 0) for row in rows
    }
    assert sum(row["productCount"] for row in rows) > 0
