"""The low-stock sales rate, days of stock left and the margin at list price."""

from __future__ import annotations

from shopx.analytics.pricing import list_price_margin
from shopx.catalog.stock import LowStock
from shopx.db.models import Product


def test_daily_rate_and_days_left_over_the_window():
    row = LowStock(Product(stock_quantity=7), units_sold=45, window_days=30)
    assert row.daily_sales_rate == 1.5
    assert row.days_of_stock_left == 4.67


def test_rate_is_rounded_to_four_places():
    row = LowStock(Product(stock_quantity=1), units_sold=1, window_days=30)
    assert row.daily_sales_rate == 0.0333
    assert row.days_of_stock_left == 30.0


def test_no_days_left_out_of_stock_whatever_it_sold():
    assert LowStock(Product(stock_quantity=0), units_sold=0).days_of_stock_left == 0.0
    assert LowStock(Product(stock_quantity=0), units_sold=9).days_of_stock_left == 0.0


def test_no_days_left_without_sales():
    row = LowStock(Product(stock_quantity=3), units_sold=0)
    assert row.daily_sales_rate == 0.0
    assert row.days_of_stock_left is None


def test_margin_at_list_price():
    product = Product(selling_price_cents=2_000, cost_price_cents=1_500)
    assert list_price_margin(product) == 25.0


def test_no_margin_at_a_zero_price():
    assert list_price_margin(Product(selling_price_cents=0, cost_price_cents=100)) is None
