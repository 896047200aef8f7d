"""A large sales file parsed in a second process (shopx.ingest.process): the same batches,
the same import and the same errors as parsed in the importer's process; a process that
dies or is no longer wanted ends cleanly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from shopx.config import Settings
from shopx.db.models import Order
from shopx.ingest import process as parsing
from shopx.ingest.batches import Batch, Preparer
from shopx.ingest.load import import_batches
from shopx.ingest.parse import ParseError, parse_sales
from shopx.ingest.process import ParserDied, batches_from_process
from shopx.ingest.rows import RowError, SaleRow
from shopx.jobs.import_file import open_sales, run_import
from tests.consistency import assert_consistent

BATCH = 40
UTC_ZONE = ZoneInfo("UTC")
HEADER = "date,order_id,product,quantity,amount,email,customer,sales_rep,region,payment,status"


def sales_lines(orders: int) -> list[str]:
    """Orders of one to three lines, identical lines in an order, rows without an order id
    (some repeated), a refund, rows without rep or region, a bad amount, an order whose
    lines name different customers; times to the microsecond."""
    lines = [HEADER]
    for order in range(orders):
        when = f"2026-03-{1 + order % 9:02d}T{order % 24:02d}:15:07.{order:06d}Z"
        rep = f"Rep {order % 3}" if order % 5 else ""
        region = "" if order % 7 == 3 else ("North" if order % 2 else "Süd")
        status = "refunded" if order % 13 == 4 else ""
        for line in range(1 + order % 3):
            product = "Mug" if line == 2 else f"Item {(order + line) % 11}"
            lines.append(
                f"{when},R-{order},{product},{1 + line % 2},{(order % 40) + 1}.{line}5,"
                f"b{order % 17}@example.com,Buyer {order % 17},{rep},{region},card,{status}"
            )
        if order % 10 == 0:
            row = f"{when},,Loose {order % 4},1,3.50,,Walk-in,,,cash,"
            lines.extend([row, row] if order % 20 == 0 else [row])
    lines.append("2026-03-02T10:00:00Z,R-bad,Item 1,1,not money,x@example.com,X,,,,")
    lines.append("2026-03-02T10:00:00Z,R-two,Item 1,1,1.00,one@example.com,One,,,,")
    lines.append("2026-03-02T10:00:00Z,R-two,Item 2,1,1.00,two@example.com,Two,,,,")
    return lines


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def from_process(path: Path) -> list[Batch]:
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        batches = batches_from_process(parsed, BATCH, min_bytes=0)
        assert batches is not None
        return [batch async for batch in batches]


def in_process(path: Path) -> list[Batch]:
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        return list(Preparer(BATCH, parsed.settings.size).all(parsed.batches()))


def shape(batches: list[Batch]) -> list[tuple[object, ...]]:
    """What the importer reads of each batch: rows, errors, records read, percent, and
    each order's rows (by line), keys and reference."""
    return [
        (
            batch.rows,
            batch.errors,
            batch.read,
            batch.percent,
            [([row.line for row in g.rows], g.keys, g.ref, g.ref_key) for g in batch.groups or []],
        )
        for batch in batches
    ]


async def test_the_parsing_process_hands_over_the_batches_parsed_in_process(tmp_path):
    path = write(tmp_path / "sales.csv", sales_lines(120))
    expected = in_process(path)
    got = await from_process(path)
    assert len(expected) > 3
    assert shape(got) == shape(expected)
    rows = [row for batch in got for row in batch.rows]
    # The values cross whole: aware UTC times to the microsecond, statuses, absent texts.
    assert all(type(row) is SaleRow and row.ordered_at.tzinfo is not None for row in rows)
    assert {row.ordered_at.microsecond for row in rows} > {0}
    assert any(row.sales_rep is None for row in rows) and any(row.region == "Süd" for row in rows)
    errors = [error for batch in got for error in batch.errors]
    assert {error.column for error in errors} == {"amount", "order_id"}
    assert all(type(error) is RowError for error in errors)


async def test_a_file_parsed_in_a_second_process_imports_once_and_exactly(
    engine, database_url, tmp_path, monkeypatch
):
    lines = sales_lines(200)
    path = write(tmp_path / "sales.csv", lines)
    settings = Settings(database_url=database_url, import_batch_rows=100)
    monkeypatch.setattr(parsing, "MIN_BYTES", 0)
    started = spy_on_starts(monkeypatch)
    opened = await open_sales(engine, settings, path, source="cli", file_name="sales.csv")
    report = await run_import(engine, settings, opened)
    assert len(started) == 1 and started[0].poll() is not None
    bad = {"R-bad", "R-two"}
    good = [line.split(",") for line in lines[1:] if line.split(",")[1] not in bad]
    assert (report.rows_read, report.imported, report.failed) == (len(lines) - 1, len(good), 3)
    # Independently from the text: every order's total, refunds included.
    expected = sum(round(float(cells[4]) * 100) for cells in good)
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.sum(Order.total_cents))) == expected
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)

    again = await run_import(
        engine, settings, await open_sales(engine, settings, path, source="cli", file_name="x")
    )
    assert (again.imported, again.skipped_duplicate) == (0, len(good))


def spy_on_starts(monkeypatch: pytest.MonkeyPatch) -> list:
    """The parsing processes started from now on."""
    started = []
    start = parsing._start

    def recorded(job):
        process = start(job)
        started.append(process)
        return process

    monkeypatch.setattr(parsing, "_start", recorded)
    return started


async def test_a_line_too_long_past_the_first_pass_is_the_same_error_after_the_same_batches(
    tmp_path,
):
    lines = sales_lines(10_500)  # past the first pass's 20,000 records
    assert len(lines) > 21_000
    lines.insert(21_000, "2026-03-02," + "x" * (1 << 20) + ",Item,1,1.00,,,,,,")
    path = write(tmp_path / "sales.csv", lines)
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        batches = Preparer(5_000, parsed.settings.size).all(parsed.batches())
        expected = []
        with pytest.raises(ParseError) as in_process_error:
            for batch in batches:
                expected.append(batch)
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        got = []
        with pytest.raises(ParseError) as process_error:
            async for batch in batches_from_process(parsed, 5_000, min_bytes=0):
                got.append(batch)
    assert str(process_error.value) == str(in_process_error.value)
    assert "longer than" in str(process_error.value)
    assert shape(got) == shape(expected) and len(got) >= 4


async def test_a_parsing_process_that_dies_fails_the_import_and_keeps_whole_batches(
    engine, database_url, tmp_path, monkeypatch
):
    path = write(tmp_path / "sales.csv", sales_lines(3_000))
    settings = Settings(database_url=database_url, import_batch_rows=500)
    started = spy_on_starts(monkeypatch)
    seen = []

    def kill_after_the_first(report):
        seen.append(report.imported)
        if len(seen) == 1:
            started[0].kill()

    with parse_sales(path, tz=settings.tz) as parsed:
        batches = batches_from_process(parsed, 500, min_bytes=0)
        with pytest.raises(ParserDied, match="ended before the end of the file"):
            await import_batches(engine, settings, batches, progress=kill_after_the_first)
        await batches.aclose()
    assert started[0].poll() is not None
    async with engine.connect() as conn:
        orders = await conn.scalar(select(func.count()).select_from(Order))
    assert 0 < orders < 3_000
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_an_import_that_stops_early_ends_its_parsing_process(tmp_path, monkeypatch):
    path = write(tmp_path / "sales.csv", sales_lines(3_000))
    started = spy_on_starts(monkeypatch)
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        batches = batches_from_process(parsed, 100, min_bytes=0)
        first = await anext(batches)
        assert first.rows
        await batches.aclose()
    assert started[0].poll() is not None


async def test_a_stream_or_a_small_file_is_parsed_in_process(tmp_path):
    path = write(tmp_path / "sales.csv", sales_lines(5))
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        assert batches_from_process(parsed, BATCH) is None  # under MIN_BYTES
    with path.open("rb") as stream, parse_sales(stream, tz=UTC_ZONE) as parsed:
        assert batches_from_process(parsed, BATCH, min_bytes=0) is None


async def test_the_parsing_process_reports_how_far_it_read(tmp_path):
    path = write(tmp_path / "sales.csv", sales_lines(400))
    heard: list[int] = []
    with parse_sales(path, tz=UTC_ZONE, progress=lambda done, _size: heard.append(done)) as p:
        batches = [batch async for batch in batches_from_process(p, BATCH, min_bytes=0)]
        assert len(batches) > 1 and len(heard) == len(batches)
        assert heard == sorted(heard) and heard[-1] == p.settings.size
        assert p.parser_peak_rss_mib is None or p.parser_peak_rss_mib > 0


def test_times_cross_exactly():
    moment = datetime(2026, 3, 1, 23, 59, 59, 999_999, tzinfo=UTC)
    row = SaleRow(2, moment, "Mug", 150, 1, 150)
    batch = Preparer(10).prepare(Batch([row]))
    decoded = parsing._decode(parsing._encode(batch))
    assert decoded.rows == [row] and decoded.rows[0].ordered_at == moment
