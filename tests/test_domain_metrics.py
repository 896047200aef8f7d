"""Product, profit, margin, rep and region metrics defined on their domain values."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

from shopx.analytics.categories import CategorySales
from shopx.analytics.margins import MarginAnalysis, MarginGroup
from shopx.analytics.metrics import ItemTotals, SalesTotals, growth, money
from shopx.analytics.overview import Overview
from shopx.analytics.periods import Span
from shopx.analytics.products import ProductPerformance, ProductSales, item_sales_growth
from shopx.analytics.regions import RegionPerformance
from shopx.analytics.reps import RepPerformance
from shopx.db.models import Category, SalesRepresentative


def performance(current: ItemTotals, previous: ItemTotals) -> ProductPerformance:
    return ProductPerformance(1, current, previous, None, None)


def test_product_average_price_growth_and_changes():
    view = performance(
        ItemTotals(item_sales_cents=1_000, units=3), ItemTotals(item_sales_cents=800, units=5)
    )
    assert view.average_price_cents == Fraction(1_000, 3)
    assert view.growth_rate == 25.0
    assert view.item_sales_change_cents == 200
    assert view.units_change == -2


def test_product_without_sales_has_zero_price_and_no_growth():
    view = performance(ItemTotals(), ItemTotals())
    assert view.average_price_cents == 0
    assert view.growth_rate is None


def test_average_order_profit_is_profit_per_order():
    totals = SalesTotals(orders=4, item_sales_cents=1_000, cost_cents=500, discount_cents=100)
    assert totals.average_order_profit == Fraction(400, 4)
    assert SalesTotals().average_order_profit == 0


def test_commission_is_sales_times_rate_unrounded():
    rep = SalesRepresentative(commission_rate_bp=250)
    row = RepPerformance(rep, SalesTotals(revenue_cents=12_345), rank=1)
    assert row.commission == Fraction(12_345 * 250, 10_000)


def test_region_growth_against_previous_revenue():
    assert RegionPerformance("North", SalesTotals(revenue_cents=150), 100).growth == 50.0
    assert RegionPerformance("", SalesTotals(revenue_cents=150), 0).growth is None


def test_margin_and_contribution_of_a_group():
    group = MarginGroup("1", "Shoes", sales_cents=1_000, cost_cents=750, profit_cents=250)
    assert group.margin == 25.0
    assert MarginAnalysis([group], total_profit_cents=1_000).contribution(group) == 25.0
    assert MarginAnalysis([group], total_profit_cents=0).contribution(group) is None


def test_ranked_product_growth_against_its_previous_item_sales():
    assert (
        ProductSales(1, ItemTotals(item_sales_cents=90), previous_item_sales_cents=60).growth_rate
        == 50.0
    )
    assert ProductSales(1, ItemTotals(item_sales_cents=90)).growth_rate is None


def test_category_share_of_the_listed_categories():
    row = CategorySales(Category(name="Shoes"), ItemTotals(item_sales_cents=250), 1_000)
    assert row.share == 25.0
    assert CategorySales(Category(name="Shoes"), ItemTotals(), 0).share is None


def test_item_profit_is_item_sales_less_cost_before_discount():
    totals = SalesTotals(item_sales_cents=1_000, cost_cents=600, discount_cents=100)
    assert totals.item_profit_cents == 400
    assert totals.profit_cents == 300
    assert totals.item_profit_cents == ItemTotals(1_000, 600).profit_cents


def test_item_profit_margin_is_over_item_sales():
    assert ItemTotals(item_sales_cents=800, cost_cents=600).profit_margin == 25.0
    assert ItemTotals(cost_cents=600).profit_margin is None


def test_both_product_growth_rates_are_item_sales_growth():
    assert item_sales_growth(120, 80) == 50.0
    assert item_sales_growth(120, 0) is None
    ranked = ProductSales(1, ItemTotals(item_sales_cents=120), previous_item_sales_cents=80)
    view = performance(ItemTotals(item_sales_cents=120), ItemTotals(item_sales_cents=80))
    assert ranked.growth_rate == view.growth_rate == item_sales_growth(120, 80)


def overview(current: SalesTotals, previous: SalesTotals) -> Overview:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return Overview(Span(moment, moment), current, previous)


def test_overview_compares_units_profit_and_margin():
    now = SalesTotals(revenue_cents=1_000, item_sales_cents=1_000, cost_cents=700, units=6)
    before = SalesTotals(
        revenue_cents=800, item_sales_cents=900, cost_cents=600, discount_cents=100, units=4
    )
    view = overview(now, before)
    assert view.difference("units") == 2 and view.growth("units") == 50.0
    assert view.difference("profit_cents") == 100 and view.growth("profit_cents") == 50.0
    assert view.margin_change == 5.0  # 30% - 25%, in points
    third = SalesTotals(revenue_cents=300, item_sales_cents=300, cost_cents=200)
    assert overview(third, before).margin_change == round(100 / 3 - 25, 4)


def test_overview_margin_change_is_null_when_either_period_has_no_revenue():
    sold = SalesTotals(revenue_cents=1_000, item_sales_cents=1_000, cost_cents=700)
    given_away = SalesTotals(orders=1, item_sales_cents=500, cost_cents=300, discount_cents=500)
    assert overview(sold, SalesTotals()).margin_change is None
    assert overview(SalesTotals(), sold).margin_change is None
    assert overview(given_away, sold).margin_change is None


def test_growth_from_a_loss_is_positive_when_it_rose():
    assert growth(50, -100) == 150.0
    assert growth(-150, -100) == -50.0
    assert growth(5, 0) is None


def test_money_rounds_fractions_half_up_and_never_shows_minus_zero():
    assert str(money(Fraction(-1, 3))) == "0.00"
    assert str(money(Fraction(-1, 2))) == "-0.01"
    assert str(money(Fraction(1, 2))) == "0.01"
