"""Issue 12's import tests at the level of behaviour (the audit's additions): generated files
imported into a real database, a ``shopx import`` process killed in the middle and run
again, and the REST numbers after an upload recomputed from the file's own rows."""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import os
import random
import signal
import subprocess
import sys
import time as clock
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from itertools import count
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import shopx
from shopx.config import Settings
from shopx.db.engine import create_engine
from shopx.db.models import Import, ImportKey, Order, OrderItem
from shopx.ingest.load import ImportReport, import_batches
from shopx.ingest.parse import parse_sales
from shopx.ingest.synthetic import synthetic_batches, write_synthetic_csv
from tests.api import api_client
from tests.servers import clean_env
from tests.test_import_entry import admin
from tests.test_ingest_audit_hostile import upload
from tests.test_ingest_generated import Layout, Line, Written, _fake_utf8, layouts, lines_, write

SECRET = "test-secret-" + "x" * 32


# Generated files into a real database --------------------------------------------------------

ENCODINGS = ["as written", "utf_16_le", "utf_16_be", "latin_1"]
"""Besides the generator's own (UTF-8 with and without BOM, UTF-16 native, cp1252): UTF-16
of either byte order with its BOM, and Latin-1."""


@dataclass(frozen=True)
class Shape:
    layout: Layout
    encoding: str
    trailing_delimiter: bool


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    layout = draw(layouts())
    trailing = draw(st.booleans())
    if trailing:
        # Every record (and blank line) ends in a delimiter: an empty last column.
        layout = replace(layout, newline=layout.delimiter + layout.newline)
    return Shape(layout, draw(st.sampled_from(ENCODINGS)), trailing)


def transcode(written: Written, encoding: str) -> bytes:
    text = written.data.decode(written.layout.encoding)
    if encoding == "utf_16_le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf_16_be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if encoding == "latin_1":
        try:
            return text.encode("latin_1")
        except UnicodeEncodeError:
            return written.data  # "€" has no Latin-1 byte: the file stays as written
    return written.data


examples = count()


def distinct(entries: list[Line]) -> list[Line]:
    """The example's lines made unlike any other example's (the examples share a database,
    and shrinking replays equal lines), and each order reference used once, so that every
    good line is an order of its own."""
    run = next(examples)
    return [
        replace(
            entry,
            product=f"{entry.product} #{run}",
            order_id=None if entry.order_id is None else f"{entry.order_id}-{run}-{index}",
        )
        for index, entry in enumerate(entries)
    ]


def distinct_anchor(written: Written) -> Written:
    """The generator's "anchor" row (the one that shows a numeric file's date order) named
    for this example too: the first "anchor" of the text is its product (generated names,
    order references and headers cannot spell it)."""
    if not any(row.product_name == "anchor" for row in written.good):
        return written
    name = f"anchor #{next(examples)}"
    text = written.data.decode(written.layout.encoding).replace("anchor", name, 1)
    good = [
        row._replace(product_name=name) if row.product_name == "anchor" else row
        for row in written.good
    ]
    return replace(written, data=text.encode(written.layout.encoding), good=good)


async def totals(engine: AsyncEngine) -> tuple[int, int, int]:
    """(order items, orders, sum of order totals)."""
    async with engine.connect() as conn:
        items = await conn.scalar(select(func.count()).select_from(OrderItem))
        orders, revenue = (
            await conn.execute(select(func.count(), func.sum(Order.total_cents)))
        ).one()
    return items, orders, revenue or 0


def import_counts(report: ImportReport) -> tuple[int, int, int, int]:
    return report.rows_read, report.imported, report.skipped_duplicate, report.failed


async def import_twice(url: str, shape: Shape, data: bytes, written: Written) -> None:
    layout = shape.layout
    config = Settings(database_url=url, secret_key=SECRET, timezone=layout.zone)
    order = {"dmy": "DMY", "mdy": "MDY"}.get(layout.date_form) if layout.given_order else None
    good, bad = len(written.good), len(written.bad)
    engine = create_engine(url, pool_size=2)
    try:
        items, orders, revenue = await totals(engine)
        added = (good, good, sum(row.amount_cents for row in written.good))
        reports = []
        for _ in range(2):
            with parse_sales(io.BytesIO(data), tz=config.tz, date_order=order) as parsed:
                reports.append(await import_batches(engine, config, parsed.batches()))
            after = await totals(engine)
            assert after == (items + added[0], orders + added[1], revenue + added[2])
        first, second = reports
        assert import_counts(first) == (good + bad, good, 0, bad)
        assert import_counts(second) == (good + bad, 0, good, bad)
        assert {error.line for error in first.errors} == set(written.bad)
        # The rollups are checked against a rebuild elsewhere (tests/test_ingest_load.py):
        # over these files' 35 years of dates a rebuild costs seconds per example.
    finally:
        await engine.dispose()


ZONES = ["America/New_York", "Australia/Lord_Howe"]
"""A shop has one business zone (its rollups are cut in it): each zone gets a database of
its own (Lord Howe: a half-hour daylight-saving shift)."""


@pytest.mark.parametrize("zone", ZONES)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    shape=shapes(),
    entries=st.lists(lines_, min_size=1, max_size=20),
    blanks=st.lists(st.booleans(), max_size=20),
)
def test_generated_files_import_their_good_rows_once_whatever_their_bad_rows(
    database_url: str, zone: str, shape: Shape, entries: list[Line], blanks: list[bool]
) -> None:
    """read = imported + skipped + failed; the good rows' orders and cents are added to the
    database; the bad rows are reported at their lines; a second import adds nothing."""
    shape = replace(shape, layout=replace(shape.layout, zone=zone))
    written = distinct_anchor(write(shape.layout, distinct(entries), blanks))
    data = transcode(written, shape.encoding)
    note(f"encoding {shape.encoding}, file: {data!r}")
    assume(shape.layout.encoding != "cp1252" or not _fake_utf8(written.data))
    assume(shape.encoding != "latin_1" or not _fake_utf8(data))
    asyncio.run(import_twice(database_url, shape, data, written))


# A kill in the middle, then a rerun ----------------------------------------------------------

KILLED_ROWS = 60_000
"""20,000 orders: 12 batches of the importer's 5,000 rows, so a kill lands between two."""


def shopx_process(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "shopx", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


async def imported_so_far(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(OrderItem)) or 0


async def test_a_killed_import_run_again_gives_exactly_the_rows_of_one_import(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    path = tmp_path / "large.csv"
    write_synthetic_csv(path, KILLED_ROWS)
    log = tmp_path / "shopx.log"
    env = clean_env() | {
        "SHOPX_DATABASE_URL": database_url,
        "SHOPX_DATA_DIR": str(tmp_path / "data"),
        "SHOPX_SECRET_KEY": SECRET,
        "PYTHONPATH": str(Path(shopx.__file__).parents[1]),
    }
    process = shopx_process(env, "import", str(path), log=log)
    try:
        # Wait (bounded) for the first committed batch, then kill without warning.
        deadline = clock.monotonic() + 300
        while (done := await imported_so_far(engine)) == 0 and process.poll() is None:
            if clock.monotonic() > deadline:
                pytest.fail(f"no batch committed within 300 s\n{log.read_text()[-3000:]}")
            await asyncio.sleep(0.02)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL, log.read_text()[-3000:]
    committed = await imported_so_far(engine)
    assert 0 < done <= committed < KILLED_ROWS, "the kill must land in the middle"
    # Whole orders only (three lines each), whatever the kill interrupted.
    assert committed % 3 == 0
    async with engine.connect() as conn:
        orders = await conn.scalar(select(func.count()).select_from(Order))
    assert orders == committed // 3

    rerun = subprocess.run(
        [sys.executable, "-m", "shopx", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=500,
    )
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]

    expected = [row for batch in synthetic_batches(KILLED_ROWS) for row in batch]
    async with engine.connect() as conn:
        items = await conn.scalar(select(func.count()).select_from(OrderItem))
        orders, revenue = (
            await conn.execute(select(func.count(), func.sum(Order.total_cents)))
        ).one()
        keys = await conn.scalar(select(func.count()).select_from(ImportKey))
        last = (
            await conn.execute(
                select(Import.state, Import.rows_imported, Import.rows_skipped, Import.rows_failed)
                .order_by(Import.id.desc())
                .limit(1)
            )
        ).one()
    assert (items, orders, revenue) == (
        KILLED_ROWS,
        KILLED_ROWS // 3,
        sum(row.amount_cents for row in expected),
    )
    assert keys == KILLED_ROWS + KILLED_ROWS // 3  # a key per line and per order, once
    assert tuple(last) == (
        "succeeded",
        KILLED_ROWS - committed,
        committed,
        0,
    )
    # Rollups after a failure mid-import are checked against a rebuild in
    # tests/test_ingest_load.py; over 20,000 orders here the rebuild takes minutes.


# The REST numbers after an upload, recomputed from the file -----------------------------------

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
DAYS_BACK = 7
PRODUCTS = ["Kettle", "Mug", "Teapot", "Spoon", "Tray", "Cosy", "Strainer"]
STATUSES = ["", "", "", "Refunded", "Cancelled", "pending"]


@dataclass(frozen=True)
class FileLine:
    day: date
    order: str
    product: str
    quantity: int
    unit_cents: int | None
    amount_cents: int
    email: str
    status: str


def shop_lines() -> list[FileLine]:
    """Orders of one to three lines over 2026-03-12..04-01, some with unit prices above the
    line total (a discount), some refunded, cancelled or pending."""
    rng = random.Random(12)
    lines: list[FileLine] = []
    for number in range(90):
        day = date(2026, 3, 12) + timedelta(days=rng.randrange(21))
        email = f"buyer{rng.randrange(25)}@example.com"
        status = rng.choice(STATUSES)
        for _ in range(rng.randint(1, 3)):
            index = rng.randrange(len(PRODUCTS))
            quantity = rng.randint(1, 4)
            unit = 1_000 * (index + 1) + rng.randrange(100)
            given = rng.random() < 0.5
            amount = quantity * unit - (rng.randrange(300) if given else 0)
            lines.append(
                FileLine(day, f"W-{number}", PRODUCTS[index], quantity, unit if given else None,
                         amount, email, status)
            )  # fmt: skip
    return lines


def european(cents: int) -> str:
    """``1.234,56``: the file's decimal comma, with grouping."""
    whole, part = divmod(cents, 100)
    return f"{whole:,}".replace(",", ".") + f",{part:02d}"


def shop_file(lines: list[FileLine]) -> bytes:
    """UTF-16 with a BOM, semicolons, day-first dates, decimal commas, CRLF: a European
    spreadsheet's export."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Order Date", "Order ID", "Product", "Qty", "Price", "Total", "Email", "Status"]
    )
    for line in lines:
        writer.writerow(
            [
                f"{line.day:%d/%m/%Y}",
                line.order,
                line.product,
                line.quantity,
                "" if line.unit_cents is None else european(line.unit_cents),
                european(-line.amount_cents if line.status == "Refunded" else line.amount_cents),
                line.email,
                line.status,
            ]
        )
    return codecs.BOM_UTF16_LE + out.getvalue().encode("utf-16-le")


def midnight(day: date) -> datetime:
    """A date without a time: the start of that day in the business zone."""
    return datetime.combine(day, time(), tzinfo=PARIS)


def recomputed(lines: list[FileLine], start: datetime, end: datetime) -> dict[str, Any]:
    """The summary's figures for completed orders from ``start`` (included) to ``end``
    (excluded), from the lines alone."""
    kept = [line for line in lines if start <= midnight(line.day) < end and not line.status]
    revenue = sum(line.amount_cents for line in kept)
    orders = {line.order for line in kept}
    sales: dict[str, list[int]] = {}
    order_sets: dict[str, set[str]] = {}
    for line in kept:
        unit = line.unit_cents
        if unit is None:
            unit = int(
                (Decimal(line.amount_cents) / line.quantity).to_integral_value(ROUND_HALF_EVEN)
            )
        figures = sales.setdefault(line.product, [0, 0])
        figures[0] += line.quantity * unit
        figures[1] += line.quantity
        order_sets.setdefault(line.product, set()).add(line.order)
    top = sorted(sales, key=lambda name: -sales[name][0])[:5]
    aov = Decimal(revenue) / len(orders) / 100 if orders else Decimal(0)
    return {
        "revenue": f"{Decimal(revenue).scaleb(-2):.2f}",
        "orders": len(orders),
        "average_order_value": f"{aov.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}",
        "customers": len({line.email for line in kept}),
        "top_products": [
            (
                name,
                f"{Decimal(sales[name][0]).scaleb(-2):.2f}",
                sales[name][1],
                len(order_sets[name]),
            )
            for name in top
        ],
    }


async def test_the_kpi_summary_after_an_upload_equals_a_recomputation_from_the_file(
    database_url: str,
) -> None:
    lines = shop_lines()
    data = shop_file(lines)
    # The last DAYS_BACK local days, today so far included; the previous span is as long
    # (a daylight-saving change on 2026-03-29 included), ending where the current one starts.
    start = midnight(NOW.astimezone(PARIS).date() - timedelta(days=DAYS_BACK - 1))
    current = recomputed(lines, start, NOW)
    previous = recomputed(lines, start - (NOW - start), start)
    assert current["orders"] and previous["orders"] and len(current["top_products"]) == 5
    async with api_client(database_url, now=NOW, timezone="Europe/Paris") as client:
        response = await upload(client, data, "export.csv")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["rows_read"], body["rows_imported"], body["rows_failed"]) == (
            len(lines),
            len(lines),
            0,
        )
        summary = await client.http.get(
            f"/api/v1/kpis/summary?days_back={DAYS_BACK}", headers=admin(client)
        )
    assert summary.status_code == 200, summary.text
    got = summary.json()
    for name in ("revenue", "orders", "average_order_value", "customers"):
        assert (got[name]["current"], got[name]["previous"]) == (
            current[name],
            previous[name],
        ), name
    assert [
        (p["name"], p["revenue"], p["units_sold"], p["order_count"]) for p in got["top_products"]
    ] == current["top_products"]
