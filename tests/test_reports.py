"""The reports job and its reports: periods in the business time zone, figures equal to the
API's for the same days, HTML and CSV downloads, e-mail once, the GraphQL ``reports`` list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shopx.analytics.periods import Span
from shopx.auth import Role
from shopx.config import Settings
from shopx.db.engine import create_engine, session_factory
from shopx.db.models import Order, Report
from shopx.jobs.context import JobContext, JobResult
from shopx.jobs.reports import reports
from shopx.jobs.runner import run_job
from shopx.reports.figures import Figures, Headline, TopProduct, TopRep
from shopx.reports.periods import ReportKind, ReportPeriod, closed_periods, due_periods
from shopx.reports.render import Shop, csv_cell, csv_report, format_money, html_report
from tests.api import ApiClient, api_client
from tests.conftest import QUIET_NOW
from tests.notifications import free_port, smtp_server

TZ = "America/New_York"
NOW = QUIET_NOW
"""04:00 on Saturday 21 November 2026 in New York (09:00 UTC), after the last seeded order."""
SECRET = "test-secret-" + "x" * 32

EXPECTED = {("daily", date(2026, 11, day), date(2026, 11, day + 1)) for day in range(14, 21)} | {
    ("weekly", date(2026, 10, 19), date(2026, 10, 26)),
    ("weekly", date(2026, 10, 26), date(2026, 11, 2)),
    ("weekly", date(2026, 11, 2), date(2026, 11, 9)),
    ("weekly", date(2026, 11, 9), date(2026, 11, 16)),
    ("monthly", date(2026, 8, 1), date(2026, 9, 1)),
    ("monthly", date(2026, 9, 1), date(2026, 10, 1)),
    ("monthly", date(2026, 10, 1), date(2026, 11, 1)),
}
"""At NOW: the last 7 closed days, 4 closed ISO weeks and 3 closed months in New York."""


@pytest.fixture
async def shop_url(dialect, seeded_shops, tmp_path) -> str:
    """A private copy of the seeded shop, its days cut in New York."""
    return await seeded_shops.copy(dialect, TZ, tmp_path)


def settings(url: str, **extra) -> Settings:
    return Settings(database_url=url, timezone=TZ, secret_key=SECRET, **extra)


async def run(url: str, now: datetime = NOW, **extra) -> JobResult:
    """One run of the reports job at ``now``."""
    engine = create_engine(url, pool_size=2)
    try:
        ctx = JobContext(engine, session_factory(engine), settings(url, **extra), None, now)
        return await reports(ctx)
    finally:
        await engine.dispose()


async def stored(url: str) -> list[Report]:
    engine = create_engine(url, pool_size=2)
    try:
        async with session_factory(engine)() as session:
            return list(await session.scalars(select(Report).order_by(Report.id)))
    finally:
        await engine.dispose()


# -- periods ---------------------------------------------------------------------------------


def test_closed_periods_are_cut_in_the_business_time_zone():
    tz = ZoneInfo(TZ)
    # 02:30 UTC on Monday 23 November is still Sunday 22 November in New York.
    late_sunday = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    [day] = closed_periods(ReportKind.DAILY, late_sunday, tz, 1)
    assert (day.first, day.end) == (date(2026, 11, 21), date(2026, 11, 22))
    [week] = closed_periods(ReportKind.WEEKLY, late_sunday, tz, 1)
    assert (week.first, week.end, week.label) == (date(2026, 11, 9), date(2026, 11, 16), "2026-W46")
    # Two hours later it is Monday there: the week of the 16th has closed.
    [week] = closed_periods(ReportKind.WEEKLY, late_sunday + timedelta(hours=3), tz, 1)
    assert (week.first, week.last) == (date(2026, 11, 16), date(2026, 11, 22))
    january = datetime(2027, 1, 1, 12, tzinfo=UTC)
    months = closed_periods(ReportKind.MONTHLY, january, tz, 3)
    assert [(m.first, m.end) for m in months] == [
        (date(2026, 10, 1), date(2026, 11, 1)),
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
    ]
    assert months[-1].label == "2026-12"


def test_a_day_with_a_clock_change_is_one_local_day():
    tz = ZoneInfo(TZ)
    [day] = closed_periods(ReportKind.DAILY, datetime(2026, 11, 2, 12, tzinfo=UTC), tz, 1)
    span = day.span(tz)
    assert day.first == date(2026, 11, 1)
    assert (span.start, span.end) == (
        datetime(2026, 11, 1, 4, tzinfo=UTC),
        datetime(2026, 11, 2, 5, tzinfo=UTC),
    )


def test_a_run_owes_seven_days_four_weeks_and_three_months():
    due = due_periods(NOW, ZoneInfo(TZ))
    assert {(p.kind.value, p.first, p.end) for p in due} == EXPECTED
    assert len(due) == len(EXPECTED)


# -- rendering -------------------------------------------------------------------------------

FIGURES = Figures(
    data_version=1,
    period=Span(datetime(2026, 11, 20, 5, tzinfo=UTC), datetime(2026, 11, 21, 5, tzinfo=UTC)),
    previous_period=Span(
        datetime(2026, 11, 19, 5, tzinfo=UTC), datetime(2026, 11, 20, 5, tzinfo=UTC)
    ),
    headlines={
        "revenue": Headline(123456, 100000, 23456, 23.456),
        "orders": Headline(10, 0, 10, None),
        "aov": Headline(12346, 0, 12346, None),
        "customers": Headline(9, 0, 9, None),
        "units": Headline(1200, 1300, -100, -7.6923),
        "profit": Headline(-500, 2000, -2500, -125.0),
    },
    top_products=[TopProduct(1, 7, '=HYPERLINK("http://x")', "-SKU", 99900, 3, 2)],
    top_reps=[TopRep(1, 4, "<b>Ana</b> & Co", "@North", 123456, 10, 9, 6173)],
)
DAY = ReportPeriod(ReportKind.DAILY, date(2026, 11, 20), date(2026, 11, 21))


def test_money_is_shown_in_the_shop_currency():
    assert format_money(123456, "USD") == "$1,234.56"
    assert format_money(-500, "EUR") == "-€5.00"
    assert format_money(5, "CHF") == "0.05 CHF"


def test_the_csv_has_metric_rows_then_the_top_lists_with_formulas_neutralised():
    document = csv_report(DAY, FIGURES, Shop("ShopX", "USD", ZoneInfo(TZ)))
    assert document.filename == "shopx-daily-2026-11-20.csv"
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert rows[0] == ["report", "period", "previous period", "time zone"]
    assert rows[1] == [
        "ShopX daily report 2026-11-20",
        "2026-11-20",
        "2026-11-19 to 2026-11-19",
        TZ,
    ]
    assert rows[3] == ["metric", "value", "previous", "change", "change %"]
    assert rows[4] == ["revenue (USD)", "1234.56", "1000.00", "234.56", "23.456"]
    assert rows[5] == ["orders", "10", "0", "10", ""]
    assert rows[9] == ["profit (USD)", "-5.00", "20.00", "-25.00", "-125.0"]
    assert rows[11] == ["rank", "product", "sku", "revenue (USD)", "units", "orders"]
    assert rows[12] == ["1", '\'=HYPERLINK("http://x")', "'-SKU", "999.00", "3", "2"]
    assert rows[15] == ["1", "<b>Ana</b> & Co", "'@North", "1234.56", "10", "9"]
    assert csv_cell("-12.50") == "-12.50"  # a plain number stays a number
    assert csv_cell("+1 555") == "'+1 555"


def test_the_html_is_self_contained_escaped_and_formats_money():
    page = html_report(DAY, FIGURES, Shop("ShopX", "USD", ZoneInfo(TZ))).content.decode()
    assert "<b>Ana</b>" not in page and "&lt;b&gt;Ana&lt;/b&gt; &amp; Co" in page
    assert "$1,234.56" in page and "+$234.56" in page and "+23.5%" in page
    assert "-$25.00" in page and "-125.0%" in page
    for outside in ("<script", "<link", "src=", "url("):
        assert outside not in page


# -- the job on a seeded shop -----------------------------------------------------------------


async def test_the_job_stores_each_kind_for_the_closed_periods(shop_url):
    result = await run(shop_url)

    rows = await stored(shop_url)
    assert {(r.kind, r.period_start, r.period_end) for r in rows} == EXPECTED
    assert result.rows == len(EXPECTED) == len(rows)
    assert "stored 14" in result.detail
    [friday] = [r for r in rows if (r.kind, r.period_start) == ("daily", date(2026, 11, 20))]
    # Midnight in New York: 05:00 UTC in November (EST), 04:00 UTC in October (EDT).
    assert friday.figures["period"] == {
        "start": "2026-11-20T05:00:00+00:00",
        "end": "2026-11-21T05:00:00+00:00",
    }
    [october] = [r for r in rows if (r.kind, r.period_start) == ("monthly", date(2026, 10, 1))]
    assert october.figures["period"]["start"] == "2026-10-01T04:00:00+00:00"
    assert all(r.sent_at is None for r in rows)
    assert all(r.figures["headlines"]["orders"]["value"] > 0 for r in rows)


async def test_running_again_stores_nothing_new(shop_url):
    await run(shop_url)
    before = {r.id: (r.figures, r.created_at) for r in await stored(shop_url)}

    again = await run(shop_url, now=NOW + timedelta(hours=1))

    assert (again.rows, again.detail) == (0, "stored 0; refreshed 0")
    assert {r.id: (r.figures, r.created_at) for r in await stored(shop_url)} == before


OVERVIEW = """query($range: DateRangeInput!) {
  salesOverview(period: CUSTOM, dateRange: $range) {
    totalRevenue totalOrders averageOrderValue uniqueCustomers unitsSold totalProfit
    revenueChange revenueChangePercentage ordersChange ordersChangePercentage
    aovChange aovChangePercentage customersChange customersChangePercentage
    unitsChange unitsChangePercentage profitChange profitChangePercentage
  }
  topProducts(limit: 5, period: CUSTOM, dateRange: $range) {
    rank revenue unitsSold orderCount product { id name sku }
  }
  topSalesReps(limit: 5, period: CUSTOM, dateRange: $range) {
    rank totalSales totalOrders uniqueCustomers commissionEarned salesRep { id name region }
  }
}"""

REPORTS = """query($kind: ReportKind, $first: Int = 20, $after: String) {
  reports(kind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id kind periodStart periodEnd sentAt htmlUrl csvUrl
      revenue previousRevenue revenueChange revenueChangePercentage
      orders ordersChange ordersChangePercentage aov aovChange aovChangePercentage
      customers customersChange customersChangePercentage
      units unitsChange unitsChangePercentage profit profitChange profitChangePercentage
      topProducts { rank productId name sku revenue unitsSold orderCount }
      topSalesReps { rank salesRepId name region totalSales totalOrders uniqueCustomers
        commissionEarned }
    } }
  }
}"""


async def all_reports(api: ApiClient, kind: str | None = None, first: int = 20) -> list[dict]:
    data = await api.data(REPORTS, {"kind": kind, "first": first}, role=Role.ANALYST)
    return [edge["node"] for edge in data["reports"]["edges"]]


def as_the_api_says(node: dict) -> dict:
    """A report node in the shape of the API's answers for its period."""
    return {
        "salesOverview": {
            "totalRevenue": node["revenue"],
            "totalOrders": node["orders"],
            "averageOrderValue": node["aov"],
            "uniqueCustomers": node["customers"],
            "unitsSold": node["units"],
            "totalProfit": node["profit"],
            **{
                f"{name}{suffix}": node[f"{name}{suffix}"]
                for name in ("revenue", "orders", "aov", "customers", "units", "profit")
                for suffix in ("Change", "ChangePercentage")
            },
        },
        "topProducts": [
            {
                "rank": p["rank"],
                "revenue": p["revenue"],
                "unitsSold": p["unitsSold"],
                "orderCount": p["orderCount"],
                "product": {"id": p["productId"], "name": p["name"], "sku": p["sku"]},
            }
            for p in node["topProducts"]
        ],
        "topSalesReps": [
            {
                "rank": r["rank"],
                "totalSales": r["totalSales"],
                "totalOrders": r["totalOrders"],
                "uniqueCustomers": r["uniqueCustomers"],
                "commissionEarned": r["commissionEarned"],
                "salesRep": {"id": r["salesRepId"], "name": r["name"], "region": r["region"]},
            }
            for r in node["topSalesReps"]
        ],
    }


async def test_each_reports_figures_equal_the_apis_answers_for_its_period(shop_url):
    await run(shop_url)

    async with api_client(shop_url, now=NOW, timezone=TZ) as api:
        nodes = await all_reports(api)
        assert len(nodes) == len(EXPECTED)
        for node in nodes:
            span = {"startDate": node["periodStart"], "endDate": node["periodEnd"]}
            answer = await api.data(OVERVIEW, {"range": span}, role=Role.ANALYST)
            assert as_the_api_says(node) == answer, (node["kind"], node["periodStart"])
            assert node["topProducts"] and node["topSalesReps"] and node["revenue"] != "0.00"
            if node["kind"] == "MONTHLY":
                assert len(node["topProducts"]) == len(node["topSalesReps"]) == 5


async def test_a_late_refund_refreshes_the_report_of_its_period_only(shop_url):
    await run(shop_url)
    engine = create_engine(shop_url, pool_size=2)
    try:
        async with session_factory(engine)() as session:
            order_id = await session.scalar(
                select(Order.id)
                .where(
                    Order.status == "COMPLETED",
                    Order.ordered_at >= datetime(2026, 11, 20, 5, tzinfo=UTC),
                    Order.ordered_at < datetime(2026, 11, 21, 5, tzinfo=UTC),
                )
                .limit(1)
            )
    finally:
        await engine.dispose()
    refund = """mutation($id: ID!) {
      updateOrderStatus(input: {orderId: $id, status: REFUNDED}) { status } }"""
    async with api_client(shop_url, now=NOW, timezone=TZ) as api:
        await api.data(refund, {"id": str(order_id)})

        result = await run(shop_url)

        assert (result.rows, result.detail) == (1, "stored 0; refreshed 1 (daily 2026-11-20)")
        [friday] = [n for n in await all_reports(api, "DAILY") if n["periodStart"] == "2026-11-20"]
        span = {"startDate": "2026-11-20", "endDate": "2026-11-20"}
        answer = await api.data(OVERVIEW, {"range": span}, role=Role.ANALYST)
        assert as_the_api_says(friday) == answer
    assert (await run(shop_url)).rows == 0


async def test_a_shop_without_orders_gets_no_reports(engine, database_url):
    record = await run_job("reports", "manual", engine, settings(database_url))

    assert (record.outcome, record.rows) == ("succeeded", 0)
    assert await stored(database_url) == []


# -- downloads ---------------------------------------------------------------------------------


async def test_downloads_as_html_and_csv_for_analysts_and_admins(shop_url):
    await run(shop_url)
    async with api_client(shop_url, now=NOW, timezone=TZ) as api:
        [weekly, *_] = await all_reports(api, "WEEKLY")
        analyst = {"authorization": f"Bearer {api.token(Role.ANALYST)}"}

        answer = await api.http.get(weekly["csvUrl"], headers=analyst)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        assert answer.headers["content-disposition"] == (
            'attachment; filename="shopx-weekly-2026-W46.csv"'
        )
        rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
        revenue = next(row for row in rows if row[:1] == ["revenue (USD)"])
        assert revenue[1:4] == [
            weekly["revenue"],
            weekly["previousRevenue"],
            weekly["revenueChange"],
        ]
        names = [
            row[1]
            for row in rows[
                rows.index(["rank", "product", "sku", "revenue (USD)", "units", "orders"]) + 1 :
            ][:5]
        ]
        assert names == [p["name"] for p in weekly["topProducts"]]

        admin = {"authorization": f"Bearer {api.token(Role.ADMIN)}"}
        page = await api.http.get(weekly["htmlUrl"], headers=admin)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'filename="shopx-weekly-2026-W46.html"' in page.headers["content-disposition"]
        assert f"${float(weekly['revenue']):,.2f}" in page.text
        assert weekly["topSalesReps"][0]["name"] in page.text


async def test_downloads_refuse_without_a_token_a_viewer_and_an_unknown_report(shop_url):
    await run(shop_url)
    async with api_client(shop_url, now=NOW, timezone=TZ) as api:
        [node, *_] = await all_reports(api)
        nobody = await api.http.get(node["htmlUrl"])
        assert (nobody.status_code, nobody.json()["error"]) == (401, "UNAUTHENTICATED")
        bad = await api.http.get(node["csvUrl"], headers={"authorization": "Bearer nonsense"})
        assert (bad.status_code, bad.json()["error"]) == (401, "UNAUTHENTICATED")
        viewer = {"authorization": f"Bearer {api.token(Role.VIEWER)}"}
        refused = await api.http.get(node["csvUrl"], headers=viewer)
        assert (refused.status_code, refused.json()["error"]) == (403, "FORBIDDEN")
        analyst = {"authorization": f"Bearer {api.token(Role.ANALYST)}"}
        missing = await api.http.get("/api/v1/reports/999999.csv", headers=analyst)
        assert missing.status_code == 404
        assert missing.json() == {"error": "NOT_FOUND", "detail": "no report 999999"}
        garbled = await api.http.get("/api/v1/reports/first.csv", headers=analyst)
        assert (garbled.status_code, garbled.json()["error"]) == (400, "BAD_USER_INPUT")


# -- GraphQL ---------------------------------------------------------------------------------


async def test_graphql_reports_pages_latest_period_first_and_filters_by_kind(shop_url):
    await run(shop_url)
    async with api_client(shop_url, now=NOW, timezone=TZ) as api:
        seen, after, pages = [], None, 0
        while True:
            data = await api.data(
                REPORTS, {"first": 4, "after": after, "kind": None}, role=Role.ANALYST
            )
            page = data["reports"]
            assert page["totalCount"] == len(EXPECTED)
            seen += [edge["node"] for edge in page["edges"]]
            pages += 1
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert pages == 4 and len({node["id"] for node in seen}) == len(EXPECTED)
        ends = [date.fromisoformat(node["periodEnd"]) for node in seen]
        assert ends == sorted(ends, reverse=True)
        assert (seen[0]["kind"], seen[0]["periodStart"]) == ("DAILY", "2026-11-20")

        weekly = await all_reports(api, "WEEKLY")
        assert [node["periodStart"] for node in weekly] == [
            "2026-11-09",
            "2026-11-02",
            "2026-10-26",
            "2026-10-19",
        ]
        assert {node["kind"] for node in weekly} == {"WEEKLY"}
        monthly = await all_reports(api, "MONTHLY")
        assert (monthly[0]["periodStart"], monthly[0]["periodEnd"]) == (
            "2026-10-01",
            "2026-10-31",
        )

        viewer = await api.graphql(REPORTS, {"first": 1}, role=Role.VIEWER)
        assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        bad = await api.graphql(REPORTS, {"first": 1, "after": "bm9wZQ"}, role=Role.ANALYST)
        assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# -- e-mail ----------------------------------------------------------------------------------


async def test_each_new_report_is_emailed_once_with_its_csv(shop_url):
    with smtp_server() as (url, inbox):
        first = await run(shop_url, smtp_url=url, mail_to="owner@shop.test")
        again = await run(shop_url, smtp_url=url, mail_to="owner@shop.test")

    assert first.detail.endswith("e-mailed 14") and again.detail.endswith("e-mailed 0")
    assert len(inbox.messages) == len(EXPECTED)
    rows = await stored(shop_url)
    assert all(r.sent_at is not None for r in rows)
    subjects = {m["Subject"] for m in inbox.messages}
    assert (
        "ShopX daily report 2026-11-20" in subjects and "ShopX monthly report 2026-10" in subjects
    )
    message = next(m for m in inbox.messages if m["Subject"] == "ShopX weekly report 2026-W46")
    assert "ShopX weekly report 2026-W46" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "shopx-weekly-2026-W46.csv"
    table = attachment.get_payload(decode=True).decode("utf-8-sig")
    assert table.splitlines()[3] == "metric,value,previous,change,change %"


async def test_a_failed_send_is_retried_by_the_next_run(shop_url):
    down = f"smtp://127.0.0.1:{free_port()}"
    failed = await run(shop_url, smtp_url=down, mail_to="owner@shop.test")

    assert failed.rows == len(EXPECTED)
    assert "e-mailed 0; 14 not sent, retried next run" in failed.detail
    assert all(r.sent_at is None for r in await stored(shop_url))

    with smtp_server() as (url, inbox):
        retried = await run(shop_url, smtp_url=url, mail_to="owner@shop.test")
    assert (retried.rows, len(inbox.messages)) == (0, len(EXPECTED))
    assert retried.detail.endswith("e-mailed 14")
    assert all(r.sent_at is not None for r in await stored(shop_url))


async def test_a_recomputed_report_is_not_sent_again(shop_url):
    with smtp_server() as (url, inbox):
        await run(shop_url, smtp_url=url, mail_to="owner@shop.test")
        engine = create_engine(shop_url, pool_size=2)
        try:
            async with session_factory(engine)() as session, session.begin():
                report = await session.scalar(select(Report).where(Report.kind == "daily").limit(1))
                report.figures = {**report.figures, "data_version": -1}
        finally:
            await engine.dispose()
        again = await run(shop_url, smtp_url=url, mail_to="owner@shop.test")
    assert again.rows == 0 and again.detail.endswith("e-mailed 0")
    assert len(inbox.messages) == len(EXPECTED)
