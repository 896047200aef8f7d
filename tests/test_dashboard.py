"""The dashboard in one round trip equals the stand-alone queries it is made of."""

from __future__ import annotations

from shopx.auth import Role
from tests.api import api_client
from tests.conftest import SEED_NOW

DASHBOARD = """{ dashboardOverview(period: MONTH) {
  overview {
    totalRevenue totalOrders averageOrderValue uniqueCustomers totalProfit
    unitsChange unitsChangePercentage profitChange profitChangePercentage marginChange
  }
  trend { label value previousValue previousOrderCount }
  topProducts { rank revenue product { id } }
  categoryBreakdown { revenue orderCount category { id } }
  customerSegments { segment customerCount totalRevenue }
  topSalesReps { rank totalSales salesRep { id } }
  generatedAt
} }"""
PARTS = """{
  salesOverview(period: MONTH) {
    totalRevenue totalOrders averageOrderValue uniqueCustomers totalProfit
    unitsChange unitsChangePercentage profitChange profitChangePercentage marginChange
  }
  salesTrends(period: MONTH, metric: REVENUE) { label value previousValue previousOrderCount }
  topProducts(period: MONTH, limit: 5) { rank revenue product { id } }
  categoryBreakdown(period: MONTH) { revenue orderCount category { id } }
  customerSegments { segment customerCount totalRevenue }
  topSalesReps(period: MONTH, limit: 5) { rank totalSales salesRep { id } }
}"""


async def test_dashboard_equals_its_parts(seeded_url):
    async with api_client(seeded_url, now=SEED_NOW) as client:
        dashboard = (await client.data(DASHBOARD, role=Role.VIEWER))["dashboardOverview"]
        parts = await client.data(PARTS, role=Role.VIEWER)

    assert dashboard["overview"] == parts["salesOverview"]
    assert dashboard["trend"] == parts["salesTrends"]
    assert dashboard["topProducts"] == parts["topProducts"]
    assert dashboard["categoryBreakdown"] == parts["categoryBreakdown"]
    assert dashboard["customerSegments"] == parts["customerSegments"]
    assert dashboard["topSalesReps"] == parts["topSalesReps"]
    assert dashboard["generatedAt"] == SEED_NOW.isoformat()
    assert len(dashboard["topProducts"]) == 5 and dashboard["overview"]["totalOrders"] > 0
