"""Bulk load into SQLite: the stdlib driver on the database file, one transaction."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

import numpy as np
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, DropIndex

from shopx.columnar.tables import DATE, Categorical, Column, Table
from shopx.seed.dataset import Dataset
from shopx.seed.phases import Advance, Phases
from shopx.seed.schema import ROLLUPS, TABLES, rebuilt_indexes

CHUNK_ROWS = 100_000
MICROS_PER_DAY = 86_400_000_000
# The rows satisfy every key and check by construction (the tests hold them to it);
# checking them one by one would double the load.
LOAD_PRAGMAS = (
    "PRAGMA foreign_keys=OFF",
    "PRAGMA ignore_check_constraints=ON",
    "PRAGMA synchronous=OFF",
    "PRAGMA cache_size=-262144",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA threads=2",
    "PRAGMA busy_timeout=5000",
)


@cache
def _times_of_day() -> np.ndarray:
    """`` HH:MM:SS.000000`` for every second of a day."""
    texts = [
        f" {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000"
        for second in range(86_400)
    ]
    return np.array(texts, dtype=object)


def timestamp_texts(column: np.ndarray) -> list[str | None]:
    """What SQLAlchemy stores for these UTC timestamps (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    missing = np.isnat(column)
    micros = np.where(missing, 0, column.astype("datetime64[us]").view(np.int64))
    days, within = np.divmod(micros, MICROS_PER_DAY)
    if (within % 1_000_000).any():
        texts = np.datetime_as_string(column, unit="us").astype(object)
        texts = np.array([text.replace("T", " ") for text in texts.tolist()], dtype=object)
    else:
        unique_days, day_of = np.unique(days, return_inverse=True)
        dates = np.datetime_as_string(unique_days.astype("datetime64[D]")).astype(object)
        texts = dates[day_of] + _times_of_day()[within // 1_000_000]
    texts[missing] = None
    return texts.tolist()


def sqlite_values(column: Column) -> list:
    if isinstance(column, Categorical):
        return column.values().tolist()
    if column.dtype == DATE:
        return np.datetime_as_string(column).tolist()
    if column.dtype.kind == "M":
        return timestamp_texts(column)
    return column.tolist()


def insert_table(db: sqlite3.Connection, table: Table, advance: Advance) -> None:
    names = list(table.columns)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    for chunk in table.chunks(CHUNK_ROWS):
        columns = [sqlite_values(column) for column in chunk.columns.values()]
        db.executemany(sql, zip(*columns, strict=True))
        advance(chunk.rows)


def _ddl(statement: CreateIndex | DropIndex) -> str:
    return str(statement.compile(dialect=sqlite.dialect()))


def load_sqlite(
    path: Path, dataset: Dataset, rollups: tuple[Table, ...], phases: Phases, *, wipe: bool
) -> None:
    """Load ``dataset`` and its ``rollups`` into the SQLite file at ``path`` in one
    transaction; the rollup tables' old rows go, and with ``wipe`` every data table's."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in LOAD_PRAGMAS:
            db.execute(pragma)
        db.execute("BEGIN IMMEDIATE")
        with phases.phase("prepare"):
            for name in (*ROLLUPS, *(reversed(TABLES) if wipe else ())):
                db.execute(f"DELETE FROM {name}")
            for index in rebuilt_indexes():
                db.execute(_ddl(DropIndex(index, if_exists=True)))
        for table in (*dataset.tables, *rollups):
            with phases.phase(f"load {table.name}", total=table.rows) as advance:
                insert_table(db, table, advance)
        with phases.phase("indexes", total=len(rebuilt_indexes())) as advance:
            for index in rebuilt_indexes():
                db.execute(_ddl(CreateIndex(index)))
                advance(1)
        with phases.phase("commit"):
            db.execute("COMMIT")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()


def analyze_sqlite(path: Path) -> None:
    """Planner statistics from a sample of each index, and the write-ahead log folded in."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA analysis_limit=1000")
        db.execute("ANALYZE")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
