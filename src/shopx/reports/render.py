"""A report as people read it: a small HTML page that survives e-mail clients (tables and
inline styles only, nothing fetched, nothing run) and a CSV file for spreadsheets.

Both show each headline figure with the previous period's value and the change, then the
top products and top reps. The HTML formats money in the shop currency ($1,234.56); the
CSV keeps plain numbers, names the currency in its headers and, as the dashboard's exports
do, prefixes a cell a spreadsheet would run as a formula with a quote.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from shopx.calendar import local_day
from shopx.config import Settings
from shopx.reports.figures import MEASURES, Figures
from shopx.reports.periods import ReportPeriod

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
"""Currencies written with their symbol; any other code is written after the amount."""
TITLES = {
    "revenue": "Revenue",
    "orders": "Orders",
    "aov": "Average order value",
    "customers": "Customers",
    "units": "Units sold",
    "profit": "Profit",
}
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class Shop:
    """Whose report it is: its name, currency and business time zone."""

    name: str
    currency: str
    tz: ZoneInfo

    @classmethod
    def of(cls, settings: Settings) -> Shop:
        return cls(settings.shop_name, settings.currency, settings.tz)


@dataclass(frozen=True, slots=True)
class Document:
    """A rendered report: its file name and bytes."""

    filename: str
    content: bytes
    media_type: str


def amount(cents: int) -> str:
    """Cents as a plain decimal: 123456 -> 1234.56."""
    return str(Decimal(cents).scaleb(-2))


def format_money(cents: int, currency: str) -> str:
    """Cents in the shop currency: $1,234.56, -€5.00, 1,234.56 CHF."""
    sign = "-" if cents < 0 else ""
    digits = f"{Decimal(abs(cents)).scaleb(-2):,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def _shown(name: str, cents_or_count: int, currency: str, *, signed: bool = False) -> str:
    if MEASURES[name][1]:
        text = format_money(cents_or_count, currency)
        return f"+{text}" if signed and cents_or_count > 0 else text
    return f"{cents_or_count:+,}" if signed else f"{cents_or_count:,}"


def _days(period: ReportPeriod, figures: Figures, tz: ZoneInfo) -> tuple[str, str]:
    """The period's and the previous period's days, as people read them."""
    start, end = figures.previous_period.start, figures.previous_period.end
    previous = f"{local_day(start, tz)} to {local_day(end - timedelta(microseconds=1), tz)}"
    if period.first == period.last:
        return period.first.isoformat(), previous
    return f"{period.first} to {period.last}", previous


def title(period: ReportPeriod, shop: Shop) -> str:
    """ShopX daily report 2026-11-29."""
    return f"{shop.name} {period.kind.value} report {period.label}"


def filename(period: ReportPeriod, extension: str) -> str:
    """shopx-daily-2026-11-29.csv, shopx-weekly-2026-W48.html, shopx-monthly-2026-11.csv."""
    return f"shopx-{period.kind.value}-{period.label}.{extension}"


def html_report(period: ReportPeriod, figures: Figures, shop: Shop) -> Document:
    this, previous = _days(period, figures, shop.tz)
    currency, heading = shop.currency, escape(title(period, shop))
    headlines = [
        (
            TITLES[name],
            _shown(name, line.value, currency),
            _shown(name, line.previous, currency),
            _shown(name, line.change, currency, signed=True),
            _percent(line.change_percentage),
        )
        for name, line in figures.headlines.items()
    ]
    products = [
        (
            str(row.rank),
            f"{row.name} ({row.sku})",
            format_money(row.revenue_cents, currency),
            f"{row.units:,}",
            f"{row.orders:,}",
        )
        for row in figures.top_products
    ]
    reps = [
        (
            str(row.rank),
            row.name,
            row.region or "",
            format_money(row.sales_cents, currency),
            f"{row.orders:,}",
            f"{row.customers:,}",
        )
        for row in figures.top_reps
    ]
    intro = f"{this} ({shop.tz.key}), compared with {previous}"
    note = (
        "Product revenue is item sales before order discounts; revenue, AOV and rep sales "
        f"are net of them. Amounts in {currency}."
    )
    page = "\n".join(
        (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{heading}</title></head>",
            f'<body style="{BODY}">',
            f'<h1 style="font-size:20px;margin:0 0 4px">{heading}</h1>',
            f'<p style="margin:0 0 16px;color:#52606d">{escape(intro)}</p>',
            _table(("", "This period", "Previous", "Change", "Change %"), headlines, 1),
            _heading("Top products by revenue"),
            _table(("#", "Product", "Revenue", "Units", "Orders"), products, 2, "None sold."),
            _heading("Top sales reps"),
            _table(
                ("#", "Sales rep", "Region", "Sales", "Orders", "Customers"), reps, 3, "None sold."
            ),
            f'<p style="margin:24px 0 0;color:#52606d;font-size:12px">{escape(note)}</p>',
            "</body></html>\n",
        )
    )
    return Document(filename(period, "html"), page.encode(), "text/html; charset=utf-8")


BODY = (
    "margin:0;padding:16px;background:#ffffff;color:#1f2933;"
    "font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4"
)
CELL = "padding:4px 8px;border-bottom:1px solid #e4e7eb;text-align:{align}"


def _tr(cells: Sequence[str], left: int, *, header: bool = False) -> str:
    """A table row; the first ``left`` cells are text (left-aligned), the rest numbers."""
    tag = 'th scope="col"' if header else "td"
    end = "th" if header else "td"
    parts = [
        f'<{tag} style="{CELL.format(align="left" if index < left else "right")}">'
        f"{escape(cell)}</{end}>"
        for index, cell in enumerate(cells)
    ]
    return f"<tr>{''.join(parts)}</tr>"


def _heading(text: str) -> str:
    return f'<h2 style="font-size:16px;margin:24px 0 8px">{escape(text)}</h2>'


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], left: int, empty: str = ""
) -> str:
    if not rows:
        return f'<p style="margin:0;color:#52606d">{escape(empty)}</p>'
    lines = "".join(_tr(row, left) for row in rows)
    return (
        '<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;min-width:60%">'
        f"{_tr(headers, left, header=True)}{lines}</table>"
    )


def csv_cell(value: object) -> str:
    """A cell a spreadsheet keeps as text: one starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    formula = FORMULA_START.match(text) and not PLAIN_NUMBER.match(text)
    return f"'{text}" if formula and not isinstance(value, int | Decimal) else text


def csv_report(period: ReportPeriod, figures: Figures, shop: Shop) -> Document:
    """Sections one after another, each with its header line, a blank line between them."""
    this, previous = _days(period, figures, shop.tz)
    money = f" ({shop.currency})"
    sections: list[Iterable[Sequence[object]]] = [
        [
            ("report", "period", "previous period", "time zone"),
            (title(period, shop), this, previous, shop.tz.key),
        ],
        [
            ("metric", "value", "previous", "change", "change %"),
            *(
                (
                    name + (money if MEASURES[name][1] else ""),
                    *_numbers(name, line.value, line.previous, line.change),
                    "" if line.change_percentage is None else line.change_percentage,
                )
                for name, line in figures.headlines.items()
            ),
        ],
        [
            ("rank", "product", "sku", "revenue" + money, "units", "orders"),
            *(
                (row.rank, row.name, row.sku, amount(row.revenue_cents), row.units, row.orders)
                for row in figures.top_products
            ),
        ],
        [
            ("rank", "sales rep", "region", "sales" + money, "orders", "customers"),
            *(
                (row.rank, row.name, row.region, amount(row.sales_cents), row.orders, row.customers)
                for row in figures.top_reps
            ),
        ],
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, section in enumerate(sections):
        if index:
            writer.writerow(())
        writer.writerows([csv_cell(cell) for cell in row] for row in section)
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    content = out.getvalue().encode("utf-8-sig")
    return Document(filename(period, "csv"), content, "text/csv; charset=utf-8")


def _numbers(name: str, *values: int) -> list[object]:
    return [amount(value) if MEASURES[name][1] else value for value in values]


def text_report(period: ReportPeriod, figures: Figures, shop: Shop) -> str:
    """The plain-text part of the e-mail: the headline figures."""
    this, previous = _days(period, figures, shop.tz)
    lines = [title(period, shop), f"{this}, compared with {previous}", ""]
    for name, line in figures.headlines.items():
        change = _shown(name, line.change, shop.currency, signed=True)
        percent = _percent(line.change_percentage)
        lines.append(
            f"{TITLES[name]}: {_shown(name, line.value, shop.currency)}"
            f" (previous {_shown(name, line.previous, shop.currency)}, {change}"
            + (f", {percent})" if percent else ")")
        )
    lines += ["", "The figures and the top products and reps are in the HTML part and the CSV."]
    return "\n".join(lines)
