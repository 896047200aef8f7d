"""The least SQLite spends storing an import: the rows of ``import_1m`` written with nothing else.

Creates a fresh SQLite database with the current schema (the migrations), then inserts what
a million-row import writes (333,334 orders, 1,000,000 items, 1,333,334 import keys, in
committed batches of 20,000 rows, keys sorted per batch), through the sqlite3 module's
executemany with the importer's pragmas, and prints the CPU seconds SQLite spent on each
table and on the commits. No parsing, no lookups, no rollups, no customers: a floor under
any importer that keeps this schema's tables and indexes.

    .venv/bin/python bench/sqlite_insert_floor.py [ORDERS]
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shopx.db.migrate import upgrade_async
from shopx.ingest.load import ITEM_COLUMNS, KEY_COLUMNS, ORDER_COLUMNS

LINES = 3
BATCH_ORDERS = 20_000 // LINES
PRODUCTS, CUSTOMERS = 2_000, 50_000
START = datetime(2024, 1, 1, tzinfo=UTC)
CREATED = "2024-01-01 00:00:00.000000"


def insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def main(orders: int) -> None:
    with tempfile.TemporaryDirectory(prefix="shopx-floor-") as folder:
        path = Path(folder) / "floor.db"
        asyncio.run(upgrade_async(f"sqlite+aiosqlite:///{path}"))
        db = sqlite3.connect(path)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("PRAGMA cache_size=-65536")
        db.execute("INSERT INTO categories (id, name, parent_id) VALUES (1, 'Category', NULL)")
        db.executemany(
            "INSERT INTO products (id, sku, name, category_id, cost_price_cents,"
            " selling_price_cents, stock_quantity, reorder_level, is_active, created_at,"
            f" updated_at) VALUES (?, ?, ?, 1, 100, 200, 0, 0, 1, '{CREATED}', '{CREATED}')",
            [(i, f"SKU-{i}", f"Product {i}") for i in range(1, PRODUCTS + 1)],
        )
        db.executemany(
            "INSERT INTO customers (id, name, email, segment, lifetime_value_cents,"
            " order_count, is_active, created_at, updated_at)"
            f" VALUES (?, ?, ?, 'NEW', 0, 0, 1, '{CREATED}', '{CREATED}')",
            [(i, f"Customer {i}", f"c{i}@example.com") for i in range(1, CUSTOMERS + 1)],
        )
        db.commit()
        spent = {"orders": 0.0, "order_items": 0.0, "import_keys": 0.0, "commits": 0.0}
        statements = {
            "orders": insert("orders", ORDER_COLUMNS),
            "order_items": insert("order_items", ITEM_COLUMNS),
            "import_keys": insert("import_keys", KEY_COLUMNS),
        }
        started = time.perf_counter()
        item = 1
        for first in range(1, orders + 1, BATCH_ORDERS):
            rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in statements}
            for order in range(first, min(first + BATCH_ORDERS, orders + 1)):
                at = (START + timedelta(minutes=order)).strftime("%Y-%m-%d %H:%M:%S.%f")
                customer = 1 + order % CUSTOMERS
                rows["orders"].append(
                    (order, customer, None, at, "COMPLETED", "card", None, 0, 300, at, at)
                )
                rows["import_keys"].append((_key("order", order), order, None))
                for line in range(LINES):
                    product = 1 + (order * LINES + line) % PRODUCTS
                    rows["order_items"].append((item, order, at, product, 1, 100, 50))
                    rows["import_keys"].append((_key("line", order, line), order, None))
                    item += 1
            rows["import_keys"].sort()
            for name, statement in statements.items():
                before = time.thread_time()
                db.executemany(statement, rows[name])
                spent[name] += time.thread_time() - before
            before = time.thread_time()
            db.commit()
            spent["commits"] += time.thread_time() - before
        wall = time.perf_counter() - started
        db.close()
    shown = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items())
    print(
        f"{orders:,} orders, {item - 1:,} items: SQLite CPU {sum(spent.values()):.1f} s"
        f" ({shown}); {wall:.1f} s wall with the rows' making"
    )


def _key(*parts: object) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).digest()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 333_334)
