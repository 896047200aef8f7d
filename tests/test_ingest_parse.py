"""Parsing whole sales files: what is settled per file (encoding, delimiter, header names, date
order, decimal style), physical line numbers, row errors, and files that cannot be read."""

from __future__ import annotations

import codecs
import io
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shopx.calendar import local_midnight
from shopx.db.models import OrderStatus
from shopx.errors import BadInput
from shopx.ingest.fields import UNREADABLE
from shopx.ingest.headers import MissingColumns
from shopx.ingest.parse import FileSettings, ParseCounts, ParseError, parse_sales
from shopx.ingest.rows import RowError, SaleRow

TZ = ZoneInfo("America/New_York")


@dataclass
class Parsed:
    settings: FileSettings
    rows: list[SaleRow]
    errors: list[RowError]
    counts: ParseCounts

    def errors_at(self, line: int) -> list[tuple[str | None, str]]:
        return [(error.column, error.reason) for error in self.errors if error.line == line]


def parse(
    content: str | bytes, *, encoding: str = "utf-8", date_order: str | None = None, **kw: object
) -> Parsed:
    data = content.encode(encoding) if isinstance(content, str) else content
    with parse_sales(io.BytesIO(data), tz=TZ, date_order=date_order, **kw) as parsed:  # type: ignore[arg-type]
        rows: list[SaleRow] = []
        errors: list[RowError] = []
        for batch in parsed.batches():
            rows.extend(batch.rows)
            errors.extend(batch.errors)
        return Parsed(parsed.settings, rows, errors, parsed.counts)


def day(year: int, month: int, dom: int) -> datetime:
    return local_midnight(date(year, month, dom), TZ)


# Encodings -----------------------------------------------------------------------------

NAMES = "Café crème,Señor Ñandú,Grüße aus Köln"
FRENCH = "date,product_name,amount\n" + "".join(
    f'2024-01-{dom:02d},"{name}",{dom}.50\n' for dom, name in enumerate(NAMES.split(","), 10)
)


@pytest.mark.parametrize(
    ("codec", "data", "detected"),
    [
        ("utf-8", FRENCH.encode("utf-8"), "utf_8"),
        ("utf-8 with BOM", codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf_8_sig"),
        ("utf-16 LE with BOM", codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), "utf_16"),
        ("utf-16 BE with BOM", codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf_16"),
        ("latin-1", FRENCH.encode("latin-1"), "cp1252"),
        ("cp1252", FRENCH.replace("Café", "Café €").encode("cp1252"), "cp1252"),
    ],
)
def test_every_encoding_reads_the_same_names(codec: str, data: bytes, detected: str) -> None:
    parsed = parse(data)
    assert parsed.settings.encoding == detected, codec
    names = [row.product_name for row in parsed.rows]
    assert [name.replace("Café €", "Café") for name in names] == NAMES.split(",")
    assert [row.amount_cents for row in parsed.rows] == [1050, 1150, 1250]
    assert parsed.settings.columns == {
        "date": "date",
        "product_name": "product_name",
        "amount": "amount",
    }


def test_a_byte_the_encoding_cannot_read_is_a_row_error(monkeypatch) -> None:
    """The encoding comes from the first bytes; a later byte it cannot read spoils its row."""
    monkeypatch.setattr("shopx.ingest.parse.SAMPLE_BYTES", 40)
    good = "date,product_name,amount\n" + "2024-01-10,Plain,1\n" * 3
    data = good.encode() + b"2024-01-11,Caf\xe9,2\n2024-01-12,Tea,3\n"
    parsed = parse(data)
    assert parsed.settings.encoding == "utf_8"
    assert parsed.errors_at(5) == [("product_name", UNREADABLE)]
    assert [row.line for row in parsed.rows] == [2, 3, 4, 6]


# Delimiters, quoting, line ends ----------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_with_quoted_delimiters_inside_values(delimiter: str) -> None:
    d = delimiter
    content = (
        f"date{d}product_name{d}amount{d}category\n"
        f'2024-01-10{d}"Widget{d} large"{d}5{d}"A{d}B"\n'
        f'2024-01-11{d}"Say ""hi"""{d}6{d}C\n'
    )
    parsed = parse(content)
    assert parsed.settings.delimiter == delimiter
    assert [row.product_name for row in parsed.rows] == [f"Widget{d} large", 'Say "hi"']
    assert [row.category for row in parsed.rows] == [f"A{d}B", "C"]


def test_a_header_full_of_commas_inside_quotes_still_splits_on_semicolons() -> None:
    content = '"Order date";"Product, name";total\n15/01/2024;"a, b, c";"1,5"\n16/01/2024;x;2\n'
    parsed = parse(content)
    assert parsed.settings.delimiter == ";"
    assert parsed.rows[0].product_name == "a, b, c"
    assert parsed.rows[0].amount_cents == 150


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_ends_blank_lines_and_trailing_delimiters(newline: str) -> None:
    lines = [
        "date,product_name,amount,,",
        "2024-01-10,Tea,1,,",
        "",
        "   ",
        ",,,,",
        "2024-01-11,Coffee,2,",
        "2024-01-12,Cake,x",
    ]
    parsed = parse(newline.join(lines) + newline)
    assert [(row.line, row.product_name) for row in parsed.rows] == [(2, "Tea"), (6, "Coffee")]
    assert parsed.errors_at(7) == [("amount", "not a number")]
    assert parsed.counts == ParseCounts(read=3, good=2, bad=1)


def test_line_numbers_count_the_lines_inside_quoted_values() -> None:
    content = (
        "date,product_name,amount\r\n"  # 1
        '2024-01-10,"two\r\nlines",1\r\n'  # 2-3
        "\r\n"  # 4
        '2024-01-11,"three\nlines\nhere",bad\r\n'  # 5-7
        "2024-01-12,Tea,2\r\n"  # 8
        '2024-01-13,"",3\r\n'  # 9
        '2024-01-14,"a\n\nb",4\n'  # 10-12
        "2024-01-15,Last,0\n"  # 13
    )
    parsed = parse(content)
    assert [(row.line, row.product_name) for row in parsed.rows] == [
        (2, "two\r\nlines"),
        (8, "Tea"),
        (10, "a\n\nb"),
    ]
    assert parsed.errors_at(5) == [("amount", "not a number")]
    assert parsed.errors_at(9) == [("product_name", "missing")]
    assert parsed.errors_at(13) == [("amount", "must be more than zero")]
    assert parsed.counts == ParseCounts(read=6, good=3, bad=3)


def test_a_line_with_more_values_than_the_header_is_a_row_error() -> None:
    parsed = parse("date,product_name,amount\n2024-01-10,Tea,1,234.50\n2024-01-10,Tea\n")
    assert parsed.errors_at(2) == [(None, "4 values for 3 columns (an unquoted delimiter?)")]
    assert parsed.errors_at(3) == [("amount", "missing")]


# Header names -----------------------------------------------------------------------------

SYNONYMS = [
    ("Order Date", "date"),
    ("order_date", "date"),
    ("Date", "date"),
    ("  ORDER-DATE ", "date"),
    ("Product", "product_name"),
    ("Item", "product_name"),
    ("Product Name", "product_name"),
    ("Total", "amount"),
    ("Line Total", "amount"),
    ("Revenue", "amount"),
    ("Sales", "amount"),
    ("Amount", "amount"),
    ("Qty", "quantity"),
    ("Quantity", "quantity"),
    ("Price", "unit_price"),
    ("Unit Price", "unit_price"),
    ("Customer", "customer_name"),
    ("Customer Name", "customer_name"),
    ("Email", "customer_email"),
    ("Customer Email", "customer_email"),
    ("Customer ID", "customer_id"),
    ("Order", "order_id"),
    ("Order ID", "order_id"),
    ("Order Number", "order_id"),
    ("Rep", "sales_rep"),
    ("Salesperson", "sales_rep"),
    ("Sales Rep", "sales_rep"),
    ("Payment", "payment_mode"),
    ("Payment Method", "payment_mode"),
    ("Status", "status"),
    ("Region", "region"),
    ("Category", "category"),
]


@pytest.mark.parametrize(("name", "field"), SYNONYMS)
def test_header_synonyms(name: str, field: str) -> None:
    base = {"date": "Date", "product_name": "Product", "amount": "Total"}
    base[field] = name
    values = {
        "date": "2024-01-10",
        "product_name": "Tea",
        "amount": "9.00",
        "quantity": "3",
        "unit_price": "3.00",
        "customer_name": "Ann",
        "customer_email": "Ann@Example.com",
        "customer_id": "C-1",
        "order_id": "O-1",
        "sales_rep": "Bob",
        "payment_mode": "card",
        "status": "refunded",
        "region": "West",
        "category": "Drinks",
    }
    header = ",".join(f'"{value}"' for value in base.values())
    line = ",".join(values[key] for key in base)
    parsed = parse(f"{header}\n{line}\n")
    assert parsed.settings.columns[field] == name.strip()
    row = parsed.rows[0]
    expected = {
        "date": ("ordered_at", day(2024, 1, 10)),
        "product_name": ("product_name", "Tea"),
        "amount": ("amount_cents", 900),
        "quantity": ("quantity", 3),
        "unit_price": ("unit_price_cents", 300),
        "customer_name": ("customer_name", "Ann"),
        "customer_email": ("customer_email", "ann@example.com"),
        "customer_id": ("customer_id", "C-1"),
        "order_id": ("order_id", "O-1"),
        "sales_rep": ("sales_rep", "Bob"),
        "payment_mode": ("payment_mode", "card"),
        "status": ("status", OrderStatus.REFUNDED),
        "region": ("region", "West"),
        "category": ("category", "Drinks"),
    }[field]
    assert getattr(row, expected[0]) == expected[1]


def test_unknown_columns_are_ignored_and_reported() -> None:
    parsed = parse("Date,Product,Total,SKU,Notes\n2024-01-10,Tea,1,T-1,hot\n")
    assert parsed.settings.ignored_columns == ("SKU", "Notes")
    assert parsed.counts.good == 1


def test_a_missing_required_column_names_the_columns_found() -> None:
    with pytest.raises(MissingColumns) as raised:
        parse("Date,Item,Qty\n2024-01-10,Tea,1\n")
    assert str(raised.value) == "missing required column amount; the header has: Date, Item, Qty"
    assert raised.value.detail == {"missing": ["amount"], "found": ["Date", "Item", "Qty"]}
    assert isinstance(raised.value, BadInput)


def test_two_columns_for_one_field_are_refused() -> None:
    with pytest.raises(BadInput, match="'Total' and 'Revenue' both name the amount field"):
        parse("Date,Product,Total,Revenue\n2024-01-10,Tea,1,1\n")


# Date order ---------------------------------------------------------------------------------


def test_day_first_is_settled_by_the_unambiguous_rows() -> None:
    parsed = parse("date,product,amount\n02/03/2024,a,1\n25/03/2024,b,1\n04/05/2024 10:30,c,1\n")
    assert parsed.settings.date_order == "DMY"
    assert [row.ordered_at for row in parsed.rows] == [
        day(2024, 3, 2),
        day(2024, 3, 25),
        datetime(2024, 5, 4, 14, 30, tzinfo=UTC),
    ]


def test_month_first_is_settled_by_the_unambiguous_rows() -> None:
    parsed = parse("date,product,amount\n02/03/2024,a,1\n03/25/2024,b,1\n")
    assert parsed.settings.date_order == "MDY"
    assert [row.ordered_at for row in parsed.rows] == [day(2024, 2, 3), day(2024, 3, 25)]


def test_rows_against_the_majority_order_are_row_errors() -> None:
    content = (
        "date,product,amount\n25/01/2024,a,1\n26/01/2024,b,1\n01/27/2024,c,1\n02/01/2024,d,1\n"
    )
    parsed = parse(content)
    assert parsed.settings.date_order == "DMY"
    assert parsed.errors_at(4) == [("date", "not a valid date with the day first")]
    assert [row.ordered_at for row in parsed.rows][-1] == day(2024, 1, 2)


def test_a_file_that_never_shows_its_date_order_asks_for_it() -> None:
    content = "date,product,amount\n01/02/2024,a,1\n03/04/2024,b,1\n05/05/2024,c,1\n"
    with pytest.raises(ParseError) as raised:
        parse(content)
    assert "give the date order, DMY or MDY" in str(raised.value)
    assert "01/02/2024" in str(raised.value)
    assert raised.value.detail == {"needs": "date_order"}
    given = parse(content, date_order="MDY")
    assert [row.ordered_at for row in given.rows] == [
        day(2024, 1, 2),
        day(2024, 3, 4),
        day(2024, 5, 5),
    ]
    assert parse(content, date_order="dmy").rows[0].ordered_at == day(2024, 2, 1)


def test_a_tie_between_the_orders_asks_for_it() -> None:
    content = "date,product,amount\n25/01/2024,a,1\n01/25/2024,b,1\n01/02/2024,c,1\n"
    with pytest.raises(ParseError, match="as many dates show the day first as the month first"):
        parse(content)


def test_the_given_date_order_wins_over_the_file() -> None:
    parsed = parse("date,product,amount\n25/01/2024,a,1\n01/02/2024,b,1\n", date_order="MDY")
    assert parsed.settings.date_order == "MDY"
    assert parsed.errors_at(2) == [("date", "not a valid date with the month first")]
    assert parsed.rows[0].ordered_at == day(2024, 1, 2)


def test_an_ambiguous_date_far_into_the_file_is_still_settled(monkeypatch) -> None:
    monkeypatch.setattr("shopx.ingest.parse.VOTE_RECORDS", 5)
    rows = "".join(f"0{m}/0{m + 1}/2024,p,1\n" for m in range(1, 9)) + "02/28/2024,q,1\n"
    parsed = parse("date,product,amount\n" + rows)
    assert parsed.settings.date_order == "MDY"
    assert parsed.counts == ParseCounts(read=9, good=9, bad=0)


def test_iso_dates_need_no_order_and_keep_their_offsets() -> None:
    content = (
        "date,product,amount\n"
        "2024-01-15,a,1\n"
        "2024-01-15 13:45,b,1\n"
        "2024-01-15T13:45:10+02:00,c,1\n"
        "Jan 15 2024,d,1\n"
        "15 Jan 2024,e,1\n"
    )
    parsed = parse(content)
    assert parsed.settings.date_order is None
    assert [row.ordered_at for row in parsed.rows] == [
        day(2024, 1, 15),
        datetime(2024, 1, 15, 18, 45, tzinfo=UTC),
        datetime(2024, 1, 15, 11, 45, 10, tzinfo=UTC),
        day(2024, 1, 15),
        day(2024, 1, 15),
    ]


# Amounts, quantities, statuses ------------------------------------------------------------------


def test_decimal_comma_is_settled_per_file() -> None:
    content = "date;product;amount\n15/01/2024;a;1.234,56\n16/01/2024;b;1 234\n17/01/2024;c;2,5\n"
    parsed = parse(content)
    assert parsed.settings.decimal_separator == ","
    assert [row.amount_cents for row in parsed.rows] == [123456, 123400, 250]


def test_decimal_point_is_settled_per_file() -> None:
    content = 'date,product,amount\n2024-01-15,a,"$1,234.56"\n2024-01-15,b,"1,234"\n'
    parsed = parse(content)
    assert parsed.settings.decimal_separator == "."
    assert [row.amount_cents for row in parsed.rows] == [123456, 123400]


def test_amounts_that_never_show_their_decimals_are_thousands() -> None:
    parsed = parse('date,product,amount\n2024-01-15,a,"1,234"\n2024-01-15,b,12\n')
    assert parsed.settings.decimal_separator is None
    assert [row.amount_cents for row in parsed.rows] == [123400, 1200]


def test_quantities_and_unit_prices() -> None:
    content = (
        "date,product,qty,price,total\n"
        "2024-01-15,a,3,,10.00\n"  # 1000 / 3 = 333.33 -> 333
        "2024-01-15,b,2,,10.01\n"  # 500.5 -> 500 (half to even)
        "2024-01-15,c,2,,10.03\n"  # 501.5 -> 502
        "2024-01-15,d,,,4.00\n"  # quantity 1
        "2024-01-15,e,2.0,1.99,3.98\n"
        "2024-01-15,f,2.5,,1\n"
        "2024-01-15,g,0,,1\n"
        "2024-01-15,h,-2,,1\n"
    )
    parsed = parse(content)
    assert [(r.quantity, r.unit_price_cents, r.amount_cents) for r in parsed.rows] == [
        (3, 333, 1000),
        (2, 500, 1001),
        (2, 502, 1003),
        (1, 400, 400),
        (2, 199, 398),
    ]
    assert parsed.errors_at(7) == [("quantity", "not a whole number")]
    assert parsed.errors_at(8) == [("quantity", "must be at least 1")]
    assert parsed.errors_at(9) == [("quantity", "must be at least 1")]


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("completed", OrderStatus.COMPLETED),
        ("Complete", OrderStatus.COMPLETED),
        ("PAID", OrderStatus.COMPLETED),
        ("refunded", OrderStatus.REFUNDED),
        ("Refund", OrderStatus.REFUNDED),
        ("cancelled", OrderStatus.CANCELLED),
        ("Canceled", OrderStatus.CANCELLED),
        ("pending", OrderStatus.PENDING),
        ("Processing", OrderStatus.PROCESSING),
        ("", OrderStatus.COMPLETED),
    ],
)
def test_statuses(written: str, status: OrderStatus) -> None:
    parsed = parse(f"date,product,amount,status\n2024-01-15,a,5,{written}\n")
    assert parsed.rows[0].status is status


def test_refunds_may_be_negative_and_nothing_else_may() -> None:
    content = (
        "date,product,amount,status,price\n"
        "2024-01-15,a,-5.00,refunded,-5.00\n"
        "2024-01-15,b,(7.50),Refund,\n"
        "2024-01-15,c,-5.00,completed,\n"
        "2024-01-15,d,0,refunded,\n"
        "2024-01-15,e,5,shipped-ish,\n"
        "2024-01-15,f,-5,,\n"
    )
    parsed = parse(content)
    assert [(r.product_name, r.amount_cents, r.unit_price_cents) for r in parsed.rows] == [
        ("a", 500, 500),
        ("b", 750, 750),
    ]
    assert parsed.errors_at(4) == [("amount", "negative (only a refund may be)")]
    assert parsed.errors_at(5) == [("amount", "must be more than zero")]
    assert parsed.errors_at(6) == [("status", "unknown status")]
    assert parsed.errors_at(7) == [("amount", "negative (only a refund may be)")]


def test_a_row_with_several_problems_reports_each_and_counts_once() -> None:
    content = (
        "date,product,amount,quantity,email,status\n"
        "someday,,abc,zero,not-an-email,lost\n"
        "2024-01-15,ok,1,1,A@B.CO,paid\n"
    )
    parsed = parse(content)
    assert parsed.errors_at(2) == [
        ("customer_email", "not an email address"),
        ("product_name", "missing"),
        ("date", "not a date"),
        ("status", "unknown status"),
        ("amount", "not a number"),
        ("quantity", "not a number"),
    ]
    assert parsed.errors[0].value == "not-an-email"
    assert parsed.rows[0].customer_email == "a@b.co"
    assert parsed.counts == ParseCounts(read=2, good=1, bad=1)


def test_values_longer_than_their_column_are_row_errors_shown_cut() -> None:
    name = "x" * 500
    parsed = parse(f"date,product,amount,region\n2024-01-15,{name},1,{'r' * 65}\n")
    assert [(e.column, e.reason) for e in parsed.errors] == [
        ("region", "longer than 64 characters"),
        ("product_name", "longer than 200 characters"),
    ]
    assert parsed.errors[1].value == "x" * 200


def test_nul_characters_in_a_row_are_a_row_error() -> None:
    parsed = parse("date,product,amount\n2024-01-15,a\x00b,1\n2024-01-15,c,2\n")
    assert parsed.errors_at(2) == [("product_name", UNREADABLE)]
    assert [row.product_name for row in parsed.rows] == ["c"]


# The stream: batches, progress, sources ---------------------------------------------------------


def test_batches_progress_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    body = "".join(f"2024-01-{1 + n % 28:02d},p{n},{n + 1}\n" for n in range(10))
    path.write_text("date,product,amount\n" + body + "2024-01-01,bad,x\n")
    seen: list[tuple[int, int]] = []
    with parse_sales(
        path, tz=TZ, progress=lambda done, size: seen.append((done, size)), batch_rows=4
    ) as parsed:
        batches = list(parsed.batches())
        assert [len(b.rows) + len(b.errors) for b in batches] == [4, 4, 3]
        assert parsed.counts == ParseCounts(read=11, good=10, bad=1)
        assert batches[-1].bytes_read == path.stat().st_size
        with pytest.raises(RuntimeError):
            next(parsed.batches())
    size = path.stat().st_size
    assert seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


class OneWay(io.RawIOBase):
    """A stream that cannot seek, like a request body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self._data.read(min(len(buffer), 7))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_is_read() -> None:
    data = b"date,product,amount\n25/12/2024,a,1\n01/12/2024,b,2\n"
    with parse_sales(io.BufferedReader(OneWay(data)), tz=TZ) as parsed:  # type: ignore[arg-type]
        rows = [row for batch in parsed.batches() for row in batch.rows]
    assert [row.ordered_at for row in rows] == [day(2024, 12, 25), day(2024, 12, 1)]


# Files that cannot be read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\r\n\r\n  \n", "the file is empty"),
        (b"date,product,amount\n", "the file has a header line but no rows"),
        (b"date,product,amount\n\n,,\n", "the file has a header line but no rows"),
        (random.Random(7).randbytes(50_000), "not a text file"),
        (b"\x00" * 5000, "NUL characters"),
        (b"\x00\x00\x00", "NUL characters"),
        (b"date,product,amount\n" + b"\x00\x01" * 5000, "not a CSV file"),
        (b'date,product,amount\n2024-01-01,"open,1\n' + b"x,y,z\n" * 30_000, "unclosed quote"),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_a_ten_megabyte_line_is_refused_without_reading_it_all() -> None:
    data = b"date,product,amount\n2024-01-01," + b"x" * 10_000_000 + b",1\n"
    with pytest.raises(ParseError, match="line 2 is longer than"):
        parse(data)
    with pytest.raises(ParseError, match="line 1 is longer than"):
        parse(b"y" * 10_000_000)


def test_an_unclosed_quote_past_the_first_pass_ends_the_batches(monkeypatch) -> None:
    monkeypatch.setattr("shopx.ingest.parse.VOTE_RECORDS", 2)
    good = "".join(f"2024-01-10,p{n},1.00\n" for n in range(4))
    data = ("date,product,amount\n" + good + '2024-01-11,"open,1\n' + "x,y,z\n" * 30_000).encode()
    with parse_sales(io.BytesIO(data), tz=TZ, batch_rows=2) as parsed:
        batches = parsed.batches()
        assert [row.line for row in next(batches).rows] == [2, 3]
        assert [row.line for row in next(batches).rows] == [4, 5]
        with pytest.raises(ParseError, match=r"line 6: .* unclosed quote"):
            next(batches)
