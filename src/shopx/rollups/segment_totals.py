"""Customers, lifetime value and orders per segment, kept ahead by the database.

The dashboard's segment panel summed every customer row on each request (50 ms at
500,000 customers). :class:`~shopx.rollups.tables.SegmentTotals` holds those sums
instead, moved by triggers on ``customers`` in the transaction that writes the customer
rows, whatever writes them: an order's statistics, the segments job, an import's new
customers, a deletion. The sums are the definition's (``GROUP BY segment``), so
:func:`rebuild_segment_totals` recomputes them identically.

- PostgreSQL: one trigger per statement over its transition tables, so an import's batch
  or the segments job moves the totals once per statement, not once per row; TRUNCATE
  empties them.
- SQLite: one trigger per row (in-process, microseconds).

A statement that moves nothing (a customer renamed) writes no total, so it takes no row
lock. Every writer of customers already takes its turn on the data version's row first
(:mod:`shopx.db.writes`), so the five rows add no waiting of their own.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Connection

from shopx.db.dialect import is_postgres
from shopx.db.models import Customer
from shopx.rollups.tables import SegmentTotals

TABLE = SegmentTotals.__tablename__
MEASURES = ("customers", "lifetime_value_cents", "orders")
FUNCTION = f"{TABLE}_move"
ROW_KINDS = ("insert", "update", "delete")
"""The writes of rows that move the totals; PostgreSQL's TRUNCATE empties them too."""


def _trigger(kind: str) -> str:
    return f"{TABLE}_{kind}"


def _upsert(moves: str) -> str:
    """Add ``moves`` (a SELECT of segment, customers, lifetime value, orders) to the totals,
    then drop the segments left with no customer."""
    added = ", ".join(f"{name} = {TABLE}.{name} + excluded.{name}" for name in MEASURES)
    return f"""
        INSERT INTO {TABLE} (segment, {", ".join(MEASURES)})
        {moves}
        ON CONFLICT (segment) DO UPDATE SET {added};
        DELETE FROM {TABLE} WHERE customers = 0;"""


def _grouped(*sources: tuple[str, int]) -> str:
    """The moves of the customer rows of each (transition table, sign), per segment;
    segments with nothing to move left out."""
    rows = " UNION ALL ".join(
        f"SELECT segment, {sign}, {sign} * lifetime_value_cents, {sign} * order_count FROM {name}"
        for name, sign in sources
    )
    return f"""SELECT segment, sum(n), sum(v), sum(o) FROM ({rows}) AS moves (segment, n, v, o)
        GROUP BY segment HAVING sum(n) <> 0 OR sum(v) <> 0 OR sum(o) <> 0"""


POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM {TABLE};
        ELSIF TG_OP = 'INSERT' THEN
            {_upsert(_grouped(("new_rows", 1)))}
        ELSIF TG_OP = 'DELETE' THEN
            {_upsert(_grouped(("old_rows", -1)))}
        ELSE
            {_upsert(_grouped(("new_rows", 1), ("old_rows", -1)))}
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {_trigger("insert")} AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    f"""CREATE TRIGGER {_trigger("update")} AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    f"""CREATE TRIGGER {_trigger("delete")} AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
    f"""CREATE TRIGGER {_trigger("truncate")} AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()""",
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS {_trigger(kind)} ON customers" for kind in (*ROW_KINDS, "truncate")),
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]


def _row_upsert(row: str, sign: int) -> str:
    """SQLite: one customer row (``new`` or ``old``) added to (``sign`` 1) or taken from
    (-1) its segment's totals. The WHERE makes the SELECT's ON CONFLICT unambiguous."""
    values = f"{sign}, {sign} * {row}.lifetime_value_cents, {sign} * {row}.order_count"
    return _upsert(f"SELECT {row}.segment, {values} WHERE true")


SQLITE = [
    f"""CREATE TRIGGER {_trigger("insert")} AFTER INSERT ON customers BEGIN
        {_row_upsert("new", 1)}
    END""",
    f"""CREATE TRIGGER {_trigger("update")}
    AFTER UPDATE OF segment, lifetime_value_cents, order_count ON customers BEGIN
        {_row_upsert("old", -1)}
        {_row_upsert("new", 1)}
    END""",
    f"""CREATE TRIGGER {_trigger("delete")} AFTER DELETE ON customers BEGIN
        {_row_upsert("old", -1)}
    END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {_trigger(kind)}" for kind in ROW_KINDS]


def install_triggers(conn: Connection) -> None:
    for statement in POSTGRES if is_postgres(conn) else SQLITE:
        conn.execute(text(statement))


def drop_triggers(conn: Connection) -> None:
    for statement in POSTGRES_DROP if is_postgres(conn) else SQLITE_DROP:
        conn.execute(text(statement))


def rebuild_segment_totals(conn: Connection) -> int:
    """The totals recomputed from every customer row; returns the segments with customers."""
    table = SegmentTotals.__table__
    conn.execute(delete(table))
    grouped = select(
        Customer.segment,
        func.count(),
        func.coalesce(func.sum(Customer.lifetime_value_cents), 0),
        func.coalesce(func.sum(Customer.order_count), 0),
    ).group_by(Customer.segment)
    conn.execute(table.insert().from_select(["segment", *MEASURES], grouped))
    return conn.execute(select(func.count()).select_from(table)).scalar_one()
