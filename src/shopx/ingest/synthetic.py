"""A generated stream of sales rows (or a CSV file of them), and a measurement of
importing it.

:func:`synthetic_batches` makes ``rows`` rows as a parser would hand them over: orders of
``per_order`` lines (an ``order_id`` each) over 2,000 products in 40 categories, 50,000
customers (by email) and 50 reps, one order a minute from 2024-01-01 UTC. Nothing is held
beyond one batch, so the measurement's memory is the importer's.
:func:`measure_import` imports such a stream and reports rows per second and the peak of
the process's anonymous memory (its heap: the database file SQLite maps into the process
is not counted, it is the page cache). :func:`write_synthetic_csv` writes the same rows as
a sales file in the contract's format, and :func:`measure_file_import` parses and imports
a file, the way ``shopx import`` does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from shopx.config import Settings
from shopx.ingest.load import Batches, ImportReport, import_batches
from shopx.ingest.parse import parse_sales
from shopx.ingest.process import process_status_mb
from shopx.ingest.rows import SaleRow

START = datetime(2024, 1, 1, tzinfo=UTC)
PRODUCTS, CATEGORIES, CUSTOMERS, REPS = 2_000, 40, 50_000, 50


def synthetic_batches(
    rows: int, *, per_order: int = 3, batch: int = 10_000
) -> Iterator[list[SaleRow]]:
    chunk: list[SaleRow] = []
    for index in range(rows):
        order = index // per_order
        product = index % PRODUCTS
        price = 100 + (index % 97) * 37
        quantity = 1 + index % 3
        chunk.append(
            SaleRow(
                line=index + 2,
                ordered_at=START + timedelta(minutes=order),
                product_name=f"Product {product}",
                amount_cents=price * quantity,
                quantity=quantity,
                unit_price_cents=price,
                order_id=f"O{order}",
                customer_email=f"c{order % CUSTOMERS}@example.com",
                category=f"Category {product % CATEGORIES}",
                sales_rep=f"Rep {order % REPS}",
                region="North" if order % 2 else "South",
                payment_mode="card",
            )
        )
        if len(chunk) == batch:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class Measurement:
    report: ImportReport
    seconds: float
    rows_per_second: float
    peak_heap_mb: float | None
    """The largest anonymous resident memory seen after a batch, MiB (Linux only)."""


def anonymous_mb() -> float | None:
    """This process's anonymous resident memory (RssAnon), MiB; None off Linux."""
    return process_status_mb("RssAnon")


CSV_HEADER = "date,order_id,product_name,category,quantity,unit_price,amount,customer_email,"
CSV_HEADER += "sales_rep,region,payment_mode\n"


def write_synthetic_csv(path: Path, rows: int, *, per_order: int = 3) -> int:
    """:func:`synthetic_batches`' rows as a CSV file at ``path``; returns its size in bytes."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(CSV_HEADER)
        for batch in synthetic_batches(rows, per_order=per_order):
            out.writelines(
                f"{r.ordered_at:%Y-%m-%dT%H:%M:%SZ},{r.order_id},{r.product_name},{r.category},"
                f"{r.quantity},{r.unit_price_cents / 100:.2f},{r.amount_cents / 100:.2f},"
                f"{r.customer_email},{r.sales_rep},{r.region},{r.payment_mode}\n"
                for r in batch
            )
    return path.stat().st_size


async def measure_import(
    engine: AsyncEngine, settings: Settings, rows: int, *, per_order: int = 3
) -> Measurement:
    """Import :func:`synthetic_batches`' rows (module doc)."""
    return await _measure(engine, settings, synthetic_batches(rows, per_order=per_order), rows)


async def measure_file_import(engine: AsyncEngine, settings: Settings, path: Path) -> Measurement:
    """Parse and import the sales file at ``path`` (module doc); rows per second count the
    file's records."""
    with parse_sales(path, tz=settings.tz) as parsed:
        return await _measure(
            engine, settings, parsed.batches(), None, total_bytes=parsed.settings.size
        )


async def _measure(
    engine: AsyncEngine,
    settings: Settings,
    batches: Batches,
    rows: int | None,
    *,
    total_bytes: int | None = None,
) -> Measurement:
    peak = [anonymous_mb()]

    def sample(_: ImportReport) -> None:
        now = anonymous_mb()
        if now is not None:
            peak[0] = max(peak[0] or 0.0, now)

    started = time.perf_counter()
    report = await import_batches(
        engine, settings, batches, progress=sample, total_bytes=total_bytes
    )
    seconds = time.perf_counter() - started
    read = report.rows_read if rows is None else rows
    return Measurement(report, seconds, read / seconds if seconds else 0.0, peak[0])
