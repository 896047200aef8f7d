"""Review of the parsing process: how it ends when the import fails or is cancelled, and
what a batch's new orders add to the rollups."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import suppress
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.config import Settings
from shopx.db.models import OrderStatus
from shopx.ingest import load
from shopx.ingest import process as parsing
from shopx.ingest.batches import Preparer
from shopx.ingest.load import import_batches
from shopx.ingest.parse import parse_sales
from shopx.ingest.rows import SaleRow
from tests import factories
from tests.consistency import assert_consistent
from tests.test_ingest_process import UTC_ZONE, sales_lines, shape, spy_on_starts, write


class Stop(Exception):
    pass


async def test_a_writer_that_fails_while_the_process_reads_ahead_reports_its_own_error(
    engine, database_url, tmp_path, monkeypatch
):
    path = write(tmp_path / "sales.csv", sales_lines(6_000))
    settings = Settings(database_url=database_url, import_batch_rows=5_000)
    monkeypatch.setattr(parsing, "MIN_BYTES", 0)
    started = spy_on_starts(monkeypatch)

    async def fail(self, session, batch):
        await asyncio.sleep(0.01)
        raise Stop  # at once: the process is still parsing the next batch

    monkeypatch.setattr(load._Run, "batch", fail)
    with parse_sales(path, tz=settings.tz) as parsed, pytest.raises(Stop):
        async with parsing.parsing_process(parsed, settings) as elsewhere:
            await import_batches(engine, settings, elsewhere)
    assert started[0].wait(5) is not None


async def test_a_cancelled_read_ends_a_parsing_process_that_hangs(tmp_path, monkeypatch):
    path = write(tmp_path / "sales.csv", sales_lines(3_000))
    started = spy_on_starts(monkeypatch)
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        batches = parsing.batches_from_process(parsed, 100, min_bytes=0)
        await anext(batches)
        process = started[0]
        os.kill(process.pid, signal.SIGSTOP)  # hangs: the next batch never comes
        # Whatever happens, the test ends: the process is killed after 20 s.
        rescue = threading.Timer(20, process.kill)
        rescue.start()
        try:
            while True:  # the batches already in the pipe come; then none does
                reading = asyncio.ensure_future(anext(batches))
                done, _ = await asyncio.wait({reading}, timeout=1)
                if not done:
                    break
            began = time.monotonic()
            reading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await reading
            await batches.aclose()
            waited = time.monotonic() - began
        finally:
            rescue.cancel()
    assert process.poll() is not None
    assert waited < 10


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Kolkata"])
async def test_new_orders_fold_into_the_rollups_as_the_rebuild_makes_them(
    engine, database_url, zone
):
    settings = Settings(database_url=database_url, timezone=zone)
    async with AsyncSession(engine) as session:
        parent = await factories.category(session, name="Kitchen")
        sub = await factories.category(session, name="Mugs", parent=parent)
        await factories.product(session, category=sub, name="Blue Mug", cost_cents=300)
        pans = await factories.category(session, name="Pans")
        await factories.product(session, category=pans, name="Pan", cost_cents=900)
        await session.commit()
    # Across the DST change of March 2026 (US: the 8th, EU: the 29th) and a month's end.
    start = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)
    statuses = list(OrderStatus)
    rows = []
    for index in range(200):  # 67 orders, to 12 April
        order = index // 3
        rows.append(
            SaleRow(
                line=index + 2,
                ordered_at=start + timedelta(hours=13 * order, minutes=order),
                product_name=["Blue Mug", "Pan", "Spoon", "Blue Mug"][index % 4],
                amount_cents=1_000 + index,
                quantity=1 + index % 3,
                unit_price_cents=600 + index,
                status=statuses[order % len(statuses)],
                order_id=f"R-{order}" if order % 6 else None,
                customer_email=f"c{order % 5}@example.com",
                customer_name=f"C {order % 5}",
                category=["Mugs", None, "Pans", "Tools"][order % 4],
                sales_rep=f"Rep {order % 2}" if order % 3 else None,
                region=["North", None, "Süd"][order % 3],
                payment_mode=["card", None, "cash", "x" * 40][order % 4],
            )
        )
    report = await import_batches(engine, settings, [rows[:50], rows[50:]], batch_rows=7)
    assert report.imported == len(rows)
    await assert_consistent(engine, settings.tz, settings.revenue_statuses)


async def test_a_file_whose_date_order_took_long_to_settle_is_parsed_the_same(tmp_path):
    # Its first 20,000 dates could be either order and its amounts show no decimal
    # separator; later amounts do, and the date order settles after them.
    lines = ["date,order_id,product,amount"]
    lines += [f"03/04/2026,R-{n},Mug,15" for n in range(20_500)]
    lines += [f"03/04/2026,S-{n},Mug,1.50" for n in range(50)]
    lines += ["25/04/2026,T-1,Mug,2.50"]
    path = write(tmp_path / "sales.csv", lines)
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        assert parsed.settings.decimal_separator == "."
        expected = list(Preparer(5_000, parsed.settings.size).all(parsed.batches()))
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        got = [batch async for batch in parsing.batches_from_process(parsed, 5_000, min_bytes=0)]
    assert shape(got) == shape(expected)


INTERRUPTED = """
import asyncio, signal, sys
from zoneinfo import ZoneInfo
from shopx.ingest.parse import parse_sales
from shopx.ingest.process import batches_from_process

async def main():
    # This importer does not stop on Ctrl-C (it might be finishing a batch): the
    # parsing process is its to stop, not the terminal's.
    signal.signal(signal.SIGINT, lambda *_: None)
    with parse_sales(sys.argv[1], tz=ZoneInfo("UTC")) as parsed:
        batches = batches_from_process(parsed, 100, min_bytes=0)
        await anext(batches)
        print("reading", flush=True)
        await asyncio.sleep(1)
        async for _batch in batches:
            pass

asyncio.run(main())
"""


def test_the_terminals_ctrl_c_is_the_importers_not_the_parsing_processs(tmp_path):
    path = write(tmp_path / "sales.csv", sales_lines(3_000))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    importer = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own group: the "terminal" Ctrl-C below is its alone
    )
    try:
        assert importer.stdout.readline() == b"reading\n"
        os.killpg(importer.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        _, stderr = importer.communicate(timeout=60)
    finally:
        importer.kill()
    assert b"Traceback" not in stderr, stderr.decode()
    assert importer.returncode == 0


async def test_a_read_cancelled_while_the_parsing_process_starts_ends_it(tmp_path, monkeypatch):
    path = write(tmp_path / "sales.csv", sales_lines(3_000))
    started = []
    start = parsing._start

    def slow_start(job):
        started.append(start(job))
        time.sleep(0.5)  # a loaded machine: the cancel comes while it starts
        return started[-1]

    monkeypatch.setattr(parsing, "_start", slow_start)
    with parse_sales(path, tz=UTC_ZONE) as parsed:
        batches = parsing.batches_from_process(parsed, 100, min_bytes=0)
        reading = asyncio.ensure_future(anext(batches))
        while not started:
            await asyncio.sleep(0.01)
        reading.cancel()
        with suppress(asyncio.CancelledError):
            await reading
        await batches.aclose()
    try:
        assert started[0].wait(10) is not None
    finally:
        started[0].kill()
        started[0].wait()
