"""Sales files written by someone trying to break the importer (issue 12's audit): each must
end in a row error naming the column or a file-level ParseError, quickly and in bounded
memory, never an exception the API would answer with a 500."""

from __future__ import annotations

import csv
import gzip
import io
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from shopx.bounds import MAX_CENTS, MAX_QUANTITY, MIN_TIME
from shopx.config import Settings
from shopx.db.models import Order, OrderItem, Product
from shopx.errors import BadInput
from shopx.ingest.load import import_batches
from shopx.ingest.parse import ParseCounts, ParseError, parse_sales
from shopx.ingest.rows import RowError, SaleRow
from shopx.jobs.import_file import ErrorWriter
from tests.api import ApiClient, api_client
from tests.test_import_entry import admin

UTC_ZONE = ZoneInfo("UTC")
HEADER = b"date,product_name,amount,quantity\n"
SECRET = "test-secret-" + "x" * 32
MIB = 1 << 20


def parse(data: bytes) -> tuple[list[SaleRow], list[RowError], ParseCounts]:
    with parse_sales(io.BytesIO(data), tz=UTC_ZONE) as parsed:
        rows: list[SaleRow] = []
        errors: list[RowError] = []
        for batch in parsed.batches():
            rows.extend(batch.rows)
            errors.extend(batch.errors)
        return rows, errors, parsed.counts


@contextmanager
def peak_memory(limit: int) -> Iterator[None]:
    """Fails when the code inside allocates more than ``limit`` bytes at its peak."""
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f"peak {peak / MIB:.1f} MiB"


def one_bad_value(column: str, value: str) -> bytes:
    """A file of one good row and, on line 3, one row whose ``column`` holds ``value``."""
    good = {"date": "2024-03-01", "product_name": "Mug", "amount": "5.00", "quantity": "2"}
    bad = {**good, column: value}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(good)
    writer.writerow(good.values())
    writer.writerow(bad.values())
    return out.getvalue().encode()


def refused_at_line_3(data: bytes, column: str) -> RowError:
    rows, errors, counts = parse(data)
    assert [row.line for row in rows] == [2]
    assert counts == ParseCounts(read=2, good=1, bad=1)
    assert [(error.line, error.column) for error in errors] == [(3, column)]
    return errors[0]


# Values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e308", "not a number"),
        ("NaN", "not a number"),
        ("inf", "not a number"),
        ("--5", "not a number"),
        ("0x10", "not a number"),
        ("9999999999999999999999", "more than"),
        (str(MAX_CENTS // 100 + 1), "more than"),
        ("9" * 5000, "not an amount"),
        ("1" + "0" * 100_000, "not an amount"),
        ("\u00b2", "not a number"),  # superscript two: str.isdigit() says yes, int() says no
        ("\u0663\u0663", "not a number"),  # Arabic-Indic digits
        ("\uff11\uff12", "not a number"),  # full-width digits
    ],
)
def test_hostile_amounts_are_row_errors(value: str, reason: str) -> None:
    error = refused_at_line_3(one_bad_value("amount", value), "amount")
    assert reason in error.reason


def test_the_largest_amount_is_accepted() -> None:
    rows, errors, _ = parse(one_bad_value("amount", f"{MAX_CENTS // 100:,}.00"))
    assert errors == [] and rows[1].amount_cents == MAX_CENTS


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0", "at least 1"),
        ("-1", "at least 1"),
        ("1.5", "not a whole number"),
        ("1e3", "not a number"),
        (str(MAX_QUANTITY + 1), "more than"),
        ("99999999999999999999999", "more than"),
        ("9" * 100_000, "not a quantity"),
        ("\u00b2", "not a number"),
        ("\u0663", "not a number"),
    ],
)
def test_hostile_quantities_are_row_errors(value: str, reason: str) -> None:
    error = refused_at_line_3(one_bad_value("quantity", value), "quantity")
    assert reason in error.reason


def test_the_largest_quantity_is_accepted() -> None:
    rows, errors, _ = parse(one_bad_value("quantity", str(MAX_QUANTITY)))
    assert errors == [] and rows[1].quantity == MAX_QUANTITY


def test_a_unit_price_past_the_largest_amount_is_a_row_error() -> None:
    data = b"date,product_name,amount,unit_price\n2024-03-01,Mug,1,1\n2024-03-01,Mug,1," + (
        b"9" * 30 + b"\n"
    )
    rows, errors, _ = parse(data)
    assert [row.line for row in rows] == [2]
    assert [(e.line, e.column) for e in errors] == [(3, "unit_price")]


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01",
        "9999-12-31",
        "2023-02-29",
        "29/02/2023",
        "Feb 29 1900",
        "1969-12-31",
        "Jan 99999999999999999999 2024",
        "99999999999999999999 Jan 2024",
        "2024-01-01 99999999999999999999:00",
        "2024-01-01T10:00:00+99:00",
        "\u0662\u0660\u0662\u0664-01-01",
        "9" * 100,
    ],
)
def test_absurd_dates_are_row_errors(value: str) -> None:
    refused_at_line_3(one_bad_value("date", value), "date")


def test_the_earliest_date_any_input_may_name_is_accepted() -> None:
    rows, errors, _ = parse(one_bad_value("date", MIN_TIME.date().isoformat()))
    assert errors == [] and rows[1].ordered_at == MIN_TIME


def test_a_formula_in_a_name_is_kept_as_text() -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    rows, errors, _ = parse(one_bad_value("product_name", formula))
    assert errors == [] and rows[1].product_name == formula


def test_the_row_errors_file_neutralises_formulas() -> None:
    out = io.StringIO()
    ErrorWriter(out)([RowError(3, "amount", '=HYPERLINK("http://evil.example")', "not a number")])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][2] == """'=HYPERLINK("http://evil.example")"""


# Whole files ------------------------------------------------------------------------------


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row><c><v>1</v></c></row>" * 2000)
    return out.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    + gzip.compress(bytes(range(256)) * 40)
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PNG, "not a text file"),
        (_xlsx(), "not a text file"),
        (gzip.compress(HEADER + b"2024-01-01,a,1,1\n" * 100, mtime=0), "not a text file"),
        ("date,product_name,amount\n2024-01-01,a,1\n".encode("utf-32"), "NUL characters"),
        (b"da\x00te,product_name,amount\n2024-01-01,a,1\n", "NUL characters"),
        (b"\xef\xbb\xbf", "no header line"),
        (b"\xff\xfe", "no header line"),
        (b"\xfe\xff", "no header line"),
        (b"\xef\xbb\xbf\r\n", "no header line"),
        (HEADER, "a header line but no rows"),
        (b"\xef\xbb\xbfdate,product_name,amount", "a header line but no rows"),
        (b"\r" * 1000, "the file is empty"),
        (b"date,product_name,amount,amount\n2024-01-01,a,1,2\n", "both name the amount field"),
        (b"date,product_name,Amount,Total\n2024-01-01,a,1,2\n", "both name the amount field"),
    ],
)
def test_files_that_are_not_sales_files_are_refused_as_a_whole(data: bytes, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        parse(data)


def test_a_50_mib_line_without_a_line_break_is_refused_in_bounded_memory() -> None:
    data = b"date,product_name,amount," + b"x" * (50 * MIB)
    with peak_memory(32 * MIB), pytest.raises(ParseError, match="line 1 is longer than"):
        parse(data)


def test_a_10_mib_quoted_value_over_many_lines_is_refused_in_bounded_memory() -> None:
    data = HEADER + b'2024-01-01,"' + (b"y" * 1000 + b"\n") * 10_000 + b'",1,1\n'
    with peak_memory(32 * MIB), pytest.raises(ParseError, match="line 2: field larger"):
        parse(data)


@pytest.mark.timeout(60)
def test_a_header_of_100k_columns_then_many_short_rows_reads_each_row_in_constant_work() -> None:
    """A wide header must not make every row cost its width: padded out to the header's
    100k columns, these 100k short rows take minutes (a 200 MB upload of them, hours); read
    as they are, about a second. The timeout is a hang guard, far above either."""
    header = b"date,product_name,amount," + b",".join(b"c%d" % i for i in range(100_000))
    data = header + b"\n" + b"2024-01-01,a,1\n" * 100_000
    with peak_memory(64 * MIB):
        rows, errors, counts = parse(data)
    assert counts == ParseCounts(read=100_000, good=100_000, bad=0) and not errors
    assert rows[-1].line == 100_001


def test_a_header_with_many_unknown_names_is_refused_without_echoing_them_all() -> None:
    header = b",".join(b"col%d" % i for i in range(100_000))
    with pytest.raises(BadInput, match="missing required columns") as refused:
        parse(header + b"\n1,2,3\n")
    assert len(refused.value.message) < 2_000
    assert len(refused.value.detail["found"]) <= 100


def test_an_unclosed_quote_in_the_header_is_refused_without_echoing_the_file() -> None:
    data = b'"date,product_name,amount\n' + b"2024-01-01,a,1\n" * 5_000
    with pytest.raises(BadInput) as refused:
        parse(data)
    assert len(refused.value.message) < 2_000


def test_rows_of_a_million_empty_columns_are_read_as_their_values() -> None:
    data = HEADER + (b"2024-01-01,a,1,1" + b"," * 500_000 + b"\n") * 4
    with peak_memory(64 * MIB):
        rows, errors, _ = parse(data)
    assert [row.line for row in rows] == [2, 3, 4, 5] and not errors


def test_nul_and_undecodable_bytes_spoil_their_rows_only() -> None:
    data = HEADER + b"2024-01-01,a\x00b,1,1\n2024-01-01,c,2,1\n"
    rows, errors, _ = parse(data)
    assert [row.product_name for row in rows] == ["c"]
    assert [(e.line, e.column) for e in errors] == [(2, "product_name")]


def test_mixed_line_endings_count_each_as_a_line() -> None:
    data = b"date,product_name,amount\r\n2024-01-01,a,1\n2024-01-02,b,2\r2024-01-03,c,x\r\n"
    rows, errors, _ = parse(data)
    assert [(row.line, row.product_name) for row in rows] == [(2, "a"), (3, "b")]
    assert [(e.line, e.column) for e in errors] == [(4, "amount")]


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\u202e", "\u200b", "\ue000"])
def test_control_and_invisible_characters_in_names_are_row_errors(char: str) -> None:
    """The GraphQL mutations refuse them (tests/test_input_hygiene.py): an import must not
    be the way round, storing names that look like other names."""
    error = refused_at_line_3(one_bad_value("product_name", f"Mu{char}g"), "product_name")
    assert f"U+{ord(char):04X}" in error.reason


def test_a_decomposed_name_is_stored_composed_like_the_mutations_store_it() -> None:
    rows, errors, _ = parse(one_bad_value("product_name", "Cafe\u0301"))
    assert errors == [] and rows[1].product_name == "Caf\u00e9"


# Through the importer, into a real database ---------------------------------------------


async def test_hostile_values_never_reach_the_database_and_the_good_rows_do(
    engine, database_url: str, tmp_path: Path
) -> None:
    lines = [
        "date,product_name,amount,quantity,unit_price",
        "2024-03-01,Mug,5.00,1,",
        "2024-03-01,Huge,9999999999999999999999,1,",
        "2024-03-01,Many,5.00,99999999999999999999999,",
        "2024-03-01,Pricey,5.00,1,99999999999999999999",
        "1969-12-31,Old,5.00,1,",
        "Jan 99999999999999999999 2024,Day,5.00,1,",
        '2024-03-02,"=HYPERLINK(""http://evil.example"")",7.00,1,',
    ]
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(lines) + "\n")
    settings = Settings(database_url=database_url, secret_key=SECRET)
    with parse_sales(path, tz=settings.tz) as parsed:
        report = await import_batches(engine, settings, parsed.batches())
    assert (report.rows_read, report.imported, report.failed) == (7, 2, 5)
    assert sorted(e.line for e in report.errors) == [3, 4, 5, 6, 7]
    async with engine.connect() as conn:
        names = set((await conn.execute(select(Product.name))).scalars())
        totals = (await conn.execute(select(func.count(), func.sum(Order.total_cents)))).one()
        items = await conn.scalar(select(func.count()).select_from(OrderItem))
    assert names == {"Mug", '=HYPERLINK("http://evil.example")'}
    assert tuple(totals) == (2, 1_200) and items == 2


# Through the REST upload -------------------------------------------------------------------


async def upload(client: ApiClient, data: bytes, name: str = "sales.csv") -> httpx.Response:
    """``POST /api/v1/upload/csv`` of ``data`` as it is, by an admin."""
    return await client.http.post(
        "/api/v1/upload/csv", files={"file": (name, data, "text/csv")}, headers=admin(client)
    )


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (PNG, "not a text file"),
        (_xlsx(), "not a text file"),
        (b"date,product_name,amount," + b"x" * (2 * MIB), "longer than"),
        (b"\xef\xbb\xbf", "no header line"),
        (b",".join(b"col%d" % i for i in range(100_000)) + b"\n1,2,3\n", "missing required"),
    ],
)
async def test_an_upload_of_a_file_that_is_no_sales_file_is_a_400(
    database_url: str, data: bytes, detail: str
) -> None:
    async with api_client(database_url) as client:
        response = await upload(client, data)
    assert response.status_code == 400, response.text
    body = response.json()
    assert {"error", "detail"} <= set(body) and detail in body["detail"]
    assert len(response.content) < 4_000


async def test_an_upload_of_hostile_values_reports_each_row_and_keeps_the_good_one(
    database_url: str, engine
) -> None:
    data = b"\n".join(
        [
            b"date,product_name,amount,quantity",
            b"2024-03-01,Mug,5.00,1",
            b"2024-03-01,Huge," + b"9" * 5_000 + b",1",
            b"2024-03-01,Many,5.00," + b"9" * 100_000,
            "2024-03-01,Super,\u00b2,1".encode(),
            b"Jan 99999999999999999999 2024,Day,5.00,1",
        ]
    )
    async with api_client(database_url) as client:
        response = await upload(client, data)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rows_read"], body["rows_imported"], body["rows_failed"]) == (5, 1, 4)
    errors = body["report"]["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [
        (3, "amount"),
        (4, "quantity"),
        (5, "amount"),
        (6, "date"),
    ]
    assert all(len(e["value"]) <= 200 for e in errors)
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.sum(Order.total_cents))) == 500
