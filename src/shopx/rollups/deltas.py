"""Incremental upkeep: every order write folds the change of that order into the rollups.

The rollups must stay what :func:`shopx.rollups.rebuild.rebuild` makes of the raw rows.
An order write loads the order's facts before and after it (:func:`load_order_facts`) and
applies the difference to every rollup row it touches (:func:`apply_order_change`), in
the writer's transaction. A test holds the two paths equal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import add
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.cache.tags import note_written
from shopx.calendar import local_day, month_start, quarter_hour_of
from shopx.db.dialect import (
    ArrayStatement,
    add_on_conflict,
    add_to_tables_on_conflict,
    is_postgres,
)
from shopx.db.models import Category, Customer, Order, OrderItem, Product
from shopx.rollups.customer_days import (
    CUSTOMERS,
    Visit,
    customer_day_deltas,
    new_visits,
    visit,
)
from shopx.rollups.measures import ORDERS, line_sums, line_values, order_values
from shopx.rollups.product_years import year_of
from shopx.rollups.tables import (
    ROLLUP_TABLES,
    CategoryDaily,
    CustomerGaps,
    ProductMonthly,
    ProductYearly,
    RepDaily,
    SalesDaily,
    SalesQuarterHourly,
    key_columns,
    measures_of,
)
from shopx.rollups.vectorised import NewOrders, new_orders_rollups, table_rows


class Line(NamedTuple):
    """One line of an order (a named tuple: a bulk import makes millions, and a tuple is made
    several times faster than a frozen dataclass)."""

    product_id: int
    category_id: int
    parent_category_id: int | None
    quantity: int
    unit_price_cents: int
    unit_cost_cents: int


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the rollups know of one order."""

    customer_id: int
    ordered_at: datetime
    status: str
    region: str
    payment_mode: str
    sales_rep_id: int | None
    discount_cents: int
    total_cents: int
    lines: tuple[Line, ...]


async def load_order_facts(session: AsyncSession, order_id: int) -> OrderFacts | None:
    return (await load_orders_facts(session, [order_id])).get(order_id)


FACTS_BATCH = 10_000
"""Orders per query when loading many: under both drivers' bound-parameter limits."""


async def load_orders_facts(
    session: AsyncSession, order_ids: Sequence[int]
) -> dict[int, OrderFacts]:
    """:func:`load_order_facts` for many orders at once (a few queries per 10,000)."""
    found: dict[int, OrderFacts] = {}
    for start in range(0, len(order_ids), FACTS_BATCH):
        batch = list(order_ids[start : start + FACTS_BATCH])
        orders = (
            await session.execute(
                select(Order, Customer.region)
                .join(Customer, Customer.id == Order.customer_id)
                .where(Order.id.in_(batch))
            )
        ).all()
        if not orders:
            continue
        times = [row.ordered_at for row, _ in orders]
        lines: dict[int, list[Line]] = defaultdict(list)
        for order_id, *line in await session.execute(
            select(
                OrderItem.order_id,
                OrderItem.product_id,
                Product.category_id,
                Category.parent_id,
                OrderItem.quantity,
                OrderItem.unit_price_cents,
                OrderItem.unit_cost_cents,
            )
            .join(Product, Product.id == OrderItem.product_id)
            .join(Category, Category.id == Product.category_id)
            .where(
                OrderItem.order_id.in_(batch),
                OrderItem.ordered_at.between(min(times), max(times)),
            )
            .order_by(OrderItem.id)
        ):
            lines[order_id].append(Line(*line))
        for row, region in orders:
            found[row.id] = OrderFacts(
                customer_id=row.customer_id,
                ordered_at=row.ordered_at,
                status=row.status,
                region=region or "",
                payment_mode=row.payment_mode or "",
                sales_rep_id=row.sales_rep_id,
                discount_cents=row.discount_cents,
                total_cents=row.total_cents,
                lines=tuple(lines[row.id]),
            )
    return found


DELETE_BATCH = 5_000
"""Rollup keys per DELETE of emptied rows (four parameters each, under the limits)."""

Key = tuple[Any, ...]
Cells = dict[Key, list[int]]
"""Rollup rows of one table by key: the values of its measures, in their order."""
Deltas = dict[Table, Cells]


def _accumulate(cells: Cells, key: Key, values: Sequence[int]) -> None:
    """Add ``values`` to the cell of ``key``, starting it at a copy of them."""
    cell = cells.get(key)
    if cell is None:
        cells[key] = list(values)
    else:
        cell[:] = map(add, cell, values)


def _signed(sign: int, values: list[int]) -> list[int]:
    return values if sign == 1 else [sign * value for value in values]


def _collect(deltas: Deltas, facts: OrderFacts, sign: int, tz: ZoneInfo) -> None:
    day = local_day(facts.ordered_at, tz)
    month = month_start(day)
    status = facts.status
    # Each line's measures once: they feed the order's sums, its categories and products.
    values = [line_values(line) for line in facts.lines]
    sums = [sum(column) for column in zip(*values, strict=True)] if values else line_sums(())
    order_cell = _signed(sign, [1, *sums, *order_values(facts)])
    sales_key = (day, status, facts.region, facts.payment_mode)
    _accumulate(deltas[SalesDaily.__table__], sales_key, order_cell)
    quarter_key = (quarter_hour_of(facts.ordered_at), status)
    _accumulate(deltas[SalesQuarterHourly.__table__], quarter_key, order_cell)
    if facts.sales_rep_id is not None:
        rep_key = (day, status, facts.sales_rep_id)
        _accumulate(deltas[RepDaily.__table__], rep_key, order_cell)
    # An order counts once per category (or product), however many of its lines match.
    per_category: Cells = {}
    per_product: Cells = {}
    for line, line_cell in zip(facts.lines, values, strict=True):
        for key in _category_keys(day, status, line):
            _accumulate(per_category, key, line_cell)
        _accumulate(per_product, (month, status, line.product_id), line_cell)
    for table, per_key in (
        (CategoryDaily.__table__, per_category),
        (ProductMonthly.__table__, per_product),
    ):
        cells = deltas[table]
        for key, summed in per_key.items():
            _accumulate(cells, key, _signed(sign, [1, *summed]))


def year_cells(month_cells: Iterable[tuple[Key, Sequence[int]]]) -> Cells:
    """(year, status, product) -> measures, summed from (month, status, product) ->
    measures: a month lies in one year, so every measure adds up, order counts too."""
    years: Cells = {}
    for (month, status, product_id), values in month_cells:
        _accumulate(years, (year_of(month), status, product_id), values)
    return years


def _category_keys(day: date, status: str, line: Line) -> list[Key]:
    """A line counts for its category and, one level up, for that category's parent."""
    keys: list[Key] = [(day, status, line.category_id)]
    if line.parent_category_id is not None:
        keys.append((day, status, line.parent_category_id))
    return keys


Change = tuple[OrderFacts | None, OrderFacts | None]
"""An order before and after a write (None: it did not exist, or no longer does)."""


def order_deltas(before: OrderFacts | None, after: OrderFacts | None, tz: ZoneInfo) -> Deltas:
    """The change to every rollup row when an order goes from ``before`` to ``after``."""
    return orders_deltas([(before, after)], tz)


def orders_deltas(changes: Iterable[Change], tz: ZoneInfo) -> Deltas:
    """The change to every rollup row when each order goes from its before to its after."""
    deltas: Deltas = defaultdict(dict)
    for before, after in changes:
        if before is not None:
            _collect(deltas, before, -1, tz)
        if after is not None:
            _collect(deltas, after, +1, tz)
    months = deltas.get(ProductMonthly.__table__)
    if months:
        deltas[ProductYearly.__table__] = year_cells(months.items())
    return {
        table: {key: values for key, values in cells.items() if any(values)}
        for table, cells in deltas.items()
    }


async def add_to_stored_rows(
    session: AsyncSession,
    table: Table,
    rows: Sequence[Sequence[Any]],
    measures: Sequence[str] | None = None,
) -> None:
    """Add each row (its key columns, then the table's measures: :func:`measures_of`
    unless given) to the stored row of its key, creating the rows that are missing."""
    if not rows:
        return
    keys = key_columns(table)
    measures = measures_of(table) if measures is None else measures
    names = [*keys, *measures]
    statement = add_on_conflict(session.bind.dialect, table, keys, measures)
    await session.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])


async def add_new_orders(session: AsyncSession, orders: NewOrders, tz: ZoneInfo) -> None:
    """Fold orders no rollup row counts yet (a bulk import's new orders) into the rollups:
    what they make by the vectorised definition (:func:`new_orders_rollups`), added to the
    stored rows in one statement per table."""
    if not orders.ids:
        return
    for added in new_orders_rollups(orders, tz):
        table = ROLLUPS_BY_NAME[added.name]
        names = [*key_columns(table), *measures_of(table)]
        rows = table_rows(added, names)
        await add_to_stored_rows(session, table, rows)
        if table is ProductMonthly.__table__:
            years = year_cells((row[:3], row[3:]) for row in rows)
            await add_to_stored_rows(
                session, ProductYearly.__table__, [[*key, *values] for key, values in years.items()]
            )
    visits = new_visits(orders.customers, orders.statuses, orders.placed, tz)
    await _fold_customer_days(session, visits, tz)


ROLLUPS_BY_NAME = {model.__tablename__: model.__table__ for model in ROLLUP_TABLES}


async def apply_order_change(
    session: AsyncSession, before: OrderFacts | None, after: OrderFacts | None, tz: ZoneInfo
) -> None:
    """Fold one order's change into the rollups (call inside the writing transaction)."""
    await apply_order_changes(session, [(before, after)], tz)


async def apply_order_changes(
    session: AsyncSession,
    changes: Iterable[Change],
    tz: ZoneInfo,
    *,
    also: Sequence[ArrayStatement] = (),
) -> None:
    """Fold many orders' changes into the rollups at once, the customers' days included;
    call once the orders' rows are written. On PostgreSQL every table's additions go in one
    statement (each write transaction holds the writers' turn for its round trips), and
    ``also`` with them (the write's other additions); on SQLite one per table, and ``also``
    must be empty."""
    changes = list(changes)
    deltas = {table: cells for table, cells in orders_deltas(changes, tz).items() if cells}
    # The customers' days are worked out from the orders as written, not from the rollups,
    # so their additions go in with the others.
    pairs = await customer_day_deltas(session, changed_visits(changes, tz), tz)
    if pairs:
        deltas[GAPS] = {pair: [count] for pair, count in pairs.items()}
    await _add_to_every_table(session, deltas, also)
    for table, cells in deltas.items():
        await _drop_emptied(session, table, cells, _measures(table), _count(table))


GAPS = CustomerGaps.__table__


def _measures(table: Table) -> tuple[str, ...]:
    return (CUSTOMERS,) if table is GAPS else measures_of(table)


def _count(table: Table) -> str:
    """The measure that says whether a row counts anything."""
    return CUSTOMERS if table is GAPS else ORDERS


async def _add_to_every_table(
    session: AsyncSession, deltas: Mapping[Table, Cells], also: Sequence[ArrayStatement] = ()
) -> None:
    """:func:`add_to_stored_rows` for each table of ``deltas``: in one statement on
    PostgreSQL (:func:`add_to_tables_on_conflict`), with ``also``; one per table on
    SQLite."""
    rows = {
        table: [[*key, *values] for key, values in cells.items()] for table, cells in deltas.items()
    }
    if not is_postgres(session.bind):
        assert not also, "statements over arrays are PostgreSQL's"
        for table, stored in rows.items():
            await add_to_stored_rows(session, table, stored, _measures(table))
        return
    if not rows and not also:
        return
    tables = tuple(rows)
    values: list[list[Any]] = []
    for table in tables:
        note_written(session.sync_session, table.name)
        values.extend(list(column) for column in zip(*rows[table], strict=True))
    for extra in also:
        values.extend(extra.arrays)
    statement = add_to_tables_on_conflict(
        tuple((table, tuple(key_columns(table)), _measures(table)) for table in tables),
        tuple((extra.text, len(extra.arrays)) for extra in also),
    )
    await (await session.connection()).exec_driver_sql(statement, tuple(values))


async def _fold_customer_days(session: AsyncSession, changed: Counter[Visit], tz: ZoneInfo) -> None:
    """Fold a write's change of orders per (customer, status, local day) into the
    customers' days (call once the write's order rows are written)."""
    pairs = await customer_day_deltas(session, changed, tz)
    cells = {pair: [count] for pair, count in pairs.items()}
    await _fold(session, GAPS, cells, _measures(GAPS), _count(GAPS))


async def _fold(
    session: AsyncSession, table: Table, cells: Cells, measures: Sequence[str], count: str
) -> None:
    """Add ``cells`` (the values of ``measures`` per key) to the stored rows, then delete
    the rows whose ``count`` went down to zero. A stored row counts at least one thing:
    only a key whose count went down can be left empty (an import's batch only adds, and
    has none to look at)."""
    if not cells:
        return
    await add_to_stored_rows(
        session, table, [[*key, *values] for key, values in cells.items()], measures
    )
    await _drop_emptied(session, table, cells, measures, count)


async def _drop_emptied(
    session: AsyncSession, table: Table, cells: Cells, measures: Sequence[str], count: str
) -> None:
    """Delete the rows of ``cells``' keys whose ``count`` went down to zero (:func:`_fold`)."""
    at = list(measures).index(count)
    touched = [key for key, values in cells.items() if values[at] < 0]
    if not touched:
        return
    keys = tuple_(*(table.c[name] for name in key_columns(table)))
    for start in range(0, len(touched), DELETE_BATCH):
        emptied = keys.in_(touched[start : start + DELETE_BATCH])
        await session.execute(delete(table).where(emptied, table.c[count] == 0))


def changed_visits(changes: Iterable[Change], tz: ZoneInfo) -> Counter[Visit]:
    """+1 per order on its (customer, status, local day) after the change, -1 before."""
    changed: Counter[Visit] = Counter()
    for before, after in changes:
        for facts, sign in ((before, -1), (after, 1)):
            if facts is not None:
                changed[visit(facts.customer_id, facts.status, facts.ordered_at, tz)] += sign
    return changed
