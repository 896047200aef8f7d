"""The importer: batches of :class:`SaleRow` written as orders, once, in bounded batches.

:func:`import_batches` re-cuts the incoming rows into batches of ``SHOPX_IMPORT_BATCH_ROWS``
(never splitting the consecutive rows of one ``order_id``) and writes each batch in its own
write transaction (:func:`shopx.db.writes.write_session`): the rows' orders and items, the
keys that make them idempotent (:mod:`shopx.ingest.keys`), the products, categories,
customers and reps they name (:mod:`shopx.ingest.entities`), the rollups (folded in from
the orders' facts, one statement per rollup table), the touched customers' statistics
(what the batch adds, added to them) and the import's progress row. A crash or kill leaves
whole batches only; running the same rows again skips what is there and completes the
rest. Cached answers are invalidated once per batch, after its commit, on every instance.

Orders: rows sharing an ``order_id`` form one order; their times, customers and statuses
must agree, or every row of that order in the batch is reported (the first non-empty rep
and payment mode are the order's). An ``order_id`` that an earlier batch or import already
created gets the new lines added to that order, if they agree with it. A row without an
``order_id`` is an order of its own. The order's total is the sum of the rows' amounts; the
discount is what the lines' quantity x unit price exceeds it by (never negative).

Stock: imported sales are past sales, so they do not move stock.

Writers are serialized (the writers' lock, and the data version's row lock on PostgreSQL),
and each batch reads the stored keys under that lock, so two imports of the same rows at
once import them once: the second finds the first's keys and counts the rows skipped. The
primary key of ``import_keys`` backs that: a key written twice fails the batch instead of
importing a row twice.

A dry run does all of it in one transaction and rolls it back: the report is exact and
no sales data changes (its row errors are stored after the rollback, for the download).
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from contextlib import aclosing, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shopx.cache.runtime import CacheRuntime
from shopx.cache.tags import CUSTOMERS, ORDERS, PRODUCTS, REPS
from shopx.config import Settings
from shopx.customers.stats import StatsDelta, add_to_customer_stats
from shopx.db.dialect import is_postgres, move_sequences_past_rows
from shopx.db.engine import session_factory
from shopx.db.models import ImportKey, Order, OrderItem
from shopx.db.partitions import ensure_partitions
from shopx.db.writes import write_session
from shopx.ingest.batches import Batch, Group, Incoming, Preparer
from shopx.ingest.bulk import (
    insert_items,
    insert_records,
    may_check_items_per_batch,
    rows_with_keys,
    stamper,
    unmapped,
)
from shopx.ingest.entities import Entities
from shopx.ingest.records import (
    ErrorSpool,
    finish_import,
    start_import_run,
    write_errors,
    write_progress,
)
from shopx.ingest.rows import RowError
from shopx.rollups.deltas import (
    Change,
    Line,
    OrderFacts,
    add_new_orders,
    apply_order_changes,
    load_orders_facts,
)
from shopx.rollups.vectorised import NewOrders

Item = tuple[int, int, int, int]
"""An order item's product, quantity, unit price and unit cost."""
KEPT_ERRORS = 1_000
"""Row errors the report keeps in memory (``on_errors`` receives every one)."""

ORDER_COLUMNS = (
    "id",
    "customer_id",
    "sales_rep_id",
    "ordered_at",
    "status",
    "payment_mode",
    "channel",
    "discount_cents",
    "total_cents",
    "created_at",
    "updated_at",
)
ITEM_COLUMNS = (
    "id",
    "order_id",
    "ordered_at",
    "product_id",
    "quantity",
    "unit_price_cents",
    "unit_cost_cents",
)
KEY_COLUMNS = ("fingerprint", "order_id", "import_id")
SEQUENCED = (
    "orders",
    "order_items",
    "customers",
    "products",
    "categories",
    "sales_representatives",
)


@dataclass
class ImportReport:
    import_id: int | None = None
    dry_run: bool = False
    rows_read: int = 0
    imported: int = 0
    skipped_duplicate: int = 0
    failed: int = 0
    """Lines with at least one error."""
    errors: list[RowError] = field(default_factory=list)
    """The first :data:`KEPT_ERRORS` row errors, in file order per batch."""
    orders_created: int = 0
    orders_extended: int = 0
    """Orders an earlier import created that got lines of this one."""
    created: Counter[str] = field(default_factory=Counter)
    """Products, categories, customers and reps created, by kind."""
    batches: int = 0
    percent: float = 0.0

    def add(self, other: ImportReport) -> None:
        for name in ("rows_read", "imported", "skipped_duplicate", "failed", "batches"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.orders_created += other.orders_created
        self.orders_extended += other.orders_extended
        self.created.update(other.created)
        self.errors.extend(other.errors[: max(0, KEPT_ERRORS - len(self.errors))])
        self.percent = max(self.percent, other.percent)

    def as_json(self, errors: int = 100) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "skipped_duplicate": self.skipped_duplicate,
            "failed": self.failed,
            "orders_created": self.orders_created,
            "orders_extended": self.orders_extended,
            "created": {kind: self.created[kind] for kind in CREATED_KINDS},
            "batches": self.batches,
            "errors": [
                {"line": e.line, "column": e.column, "value": e.value, "reason": e.reason}
                for e in self.errors[:errors]
            ],
        }


CREATED_KINDS = ("products", "categories", "customers", "reps")


Batches = Iterable[Incoming] | AsyncIterable[Incoming]


class _DryRun(Exception):
    """Rolls a dry run's transaction back."""


async def import_batches(
    engine: AsyncEngine,
    settings: Settings,
    batches: Batches,
    *,
    import_id: int | None = None,
    dry_run: bool = False,
    cache: CacheRuntime | None = None,
    progress: Callable[[ImportReport], None] | None = None,
    on_errors: Callable[[list[RowError]], None] | None = None,
    batch_rows: int | None = None,
    total_bytes: int | None = None,
) -> ImportReport:
    """Import ``batches`` (module doc). ``import_id``: the ``imports`` row to keep up to
    date (:func:`shopx.ingest.records.create_import`); ``progress`` is called after each
    committed batch with the running totals; ``on_errors`` receives every row error;
    ``total_bytes``: the file's size, for the percent of the parser's batches."""
    sessions = session_factory(engine)
    report = ImportReport(import_id=import_id, dry_run=dry_run)
    run = _Run(settings, import_id, datetime.now(UTC))
    size = batch_rows or settings.import_batch_rows
    try:
        if import_id is not None:  # inside: a cancel while it starts still ends the row
            await start_import_run(sessions, import_id, dry_run)
        if dry_run:
            spool = ErrorSpool()
            try:
                async with (
                    write_session(sessions, datetime.now(UTC)) as session,
                    unmapped(session),
                    aclosing(_ahead(_prepared(batches, size, total_bytes))) as incoming,
                ):
                    async for batch in incoming:
                        outcome, _ = await run.batch(session, batch)
                        spool.add(outcome.errors)
                        _account(report, outcome, progress, on_errors)
                    raise _DryRun
            except _DryRun:
                pass
            except BaseException:
                # The stored report lists the errors seen before the failure: so does the
                # errors download. The failure is what the caller hears of.
                with suppress(Exception):
                    await spool.write(sessions, import_id)
                raise
            await spool.write(sessions, import_id)
        else:
            async with aclosing(_ahead(_prepared(batches, size, total_bytes))) as incoming:
                async for batch in incoming:
                    async with (
                        write_session(sessions, datetime.now(UTC)) as session,
                        unmapped(session),
                    ):
                        outcome, tags = await run.batch(session, batch)
                        total = ImportReport()
                        total.add(report)
                        total.add(outcome)
                        await write_progress(session, import_id, total)
                        await write_errors(session, import_id, outcome.errors)
                    if cache is not None and tags:
                        await cache.written(frozenset(tags))
                    _account(report, outcome, progress, on_errors)
    except BaseException as exc:
        if import_id is not None:
            # The import's own error is what the caller needs, even if the database that
            # failed it cannot take the record either.
            with suppress(Exception):
                await finish_import(sessions, import_id, report, exc)
        raise
    report.percent = 100.0
    if import_id is not None:
        await finish_import(sessions, import_id, report, None)
    return report


def _account(
    report: ImportReport,
    outcome: ImportReport,
    progress: Callable[[ImportReport], None] | None,
    on_errors: Callable[[list[RowError]], None] | None,
) -> None:
    report.add(outcome)
    if on_errors is not None and outcome.errors:
        on_errors(outcome.errors)
    if progress is not None:
        progress(report)


async def _prepared(batches: Batches, size: int, total_bytes: int | None) -> AsyncIterator[Batch]:
    """The incoming batches, re-cut and grouped (:class:`Preparer`). A plain iterable (the
    parser's) is read and prepared in a worker thread, so parsing runs while the event loop
    waits on the database; batches prepared already (by the parsing process of
    :mod:`shopx.ingest.process`) pass as they are."""
    preparer = Preparer(size, total_bytes)
    if isinstance(batches, AsyncIterable):
        async for item in batches:
            if isinstance(item, Batch) and item.groups is not None:
                yield item
                continue
            for batch in preparer.feed(item):
                yield batch
        for batch in preparer.finish():
            yield batch
        return
    prepared = preparer.all(batches)
    while (batch := await asyncio.to_thread(next, prepared, None)) is not None:
        yield batch


async def _ahead(batches: AsyncIterator[Batch]) -> AsyncIterator[Batch]:
    """``batches`` with the next one always under way: it is cut (and its rows parsed, in a
    worker thread) while the current one is written, which mostly waits on the database
    (SQLite's C code and PostgreSQL's server leave the interpreter free). One batch ahead
    bounds the memory."""
    pending = asyncio.ensure_future(anext(batches, None))
    try:
        while (batch := await pending) is not None:
            pending = asyncio.ensure_future(anext(batches, None))
            yield batch
    finally:
        if not pending.done():
            pending.cancel()
            # The read under way ends with its batch; its outcome is not wanted any more.
            pending.add_done_callback(_discard)


def _discard(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class _Run:
    """One import's state across its batches."""

    def __init__(self, settings: Settings, import_id: int | None, now: datetime) -> None:
        self.settings = settings
        self.import_id = import_id
        self.entities = Entities(now)
        self.months: set[tuple[int, int]] = set()
        """Months whose partitions this import made sure of."""
        self.recognised = frozenset(settings.revenue_statuses)
        self.items_per_batch: bool | None = None
        """Whether the items' references are checked per batch (asked once)."""

    async def batch(self, session: AsyncSession, batch: Batch) -> tuple[ImportReport, set[str]]:
        """Write one batch in ``session``'s transaction; returns its outcome and the cache
        tags it wrote."""
        outcome = ImportReport(batches=1, percent=batch.percent or 0.0)
        errors = list(batch.errors)
        outcome.rows_read = batch.read
        groups = batch.groups or []
        existing = await _stored_orders(session, groups)
        # A line of an order reference never stored cannot be stored: a line's key is
        # written with its order's, so only those of known orders (and rows without an
        # order reference) need looking up.
        known = await _stored_keys(
            session, [key for g in groups if g.ref is None or g.ref in existing for key in g.keys]
        )
        fresh: list[Group] = []
        for group in groups:
            kept = [
                (row, key)
                for row, key in zip(group.rows, group.keys, strict=True)
                if key not in known
            ]
            outcome.skipped_duplicate += len(group.rows) - len(kept)
            if kept:
                rows, row_keys = [r for r, _ in kept], [k for _, k in kept]
                fresh.append(Group(rows, row_keys, group.ref, group.ref_key))
        await self.entities.resolve(session, [row for g in fresh for row in g.rows])
        stamp = stamper(session)
        orders, items, keys, changes = [], [], [], []
        stats: defaultdict[int, StatsDelta] = defaultdict(StatsDelta)
        extended: list[tuple[int, Group]] = []
        next_order = (await session.scalar(select(func.max(Order.id))) or 0) + 1
        next_item = (await session.scalar(select(func.max(OrderItem.id))) or 0) + 1
        placed: list[datetime] = []
        regions: dict[int, str | None] = {}
        for group in fresh:
            if group.ref is not None and group.ref in existing:
                extended.append((existing[group.ref], group))
                continue
            order_id = next_order
            next_order += 1
            first = group.rows[0]
            total, discount, rep_id, payment, lines = self._order(group)
            at = stamp(first.ordered_at)
            customer = self.entities.customer(first)
            status = str(first.status)
            if status in self.recognised:
                stats[customer.id].add(total, 1, first.ordered_at)
            orders.append(
                (
                    order_id,
                    customer.id,
                    rep_id,
                    at,
                    status,
                    payment or None,
                    None,
                    discount,
                    total,
                    at,
                    at,
                )
            )
            for line in lines:
                items.append((next_item, order_id, at, *line))
                next_item += 1
            placed.append(first.ordered_at)
            regions[customer.id] = customer.region
            if group.ref is not None:
                keys.append((group.ref_key, order_id, self.import_id))
            keys.extend((key, order_id, self.import_id) for key in group.keys)
            outcome.imported += len(group.rows)
        outcome.orders_created = len(orders)
        new = self._new_orders(orders, items, placed, regions)
        added = await self._extend(
            session, extended, outcome, errors, next_item, keys, changes, stats
        )
        items.extend(added)
        if is_postgres(session.bind) and orders:
            await self._partitions(session, [g.rows[0].ordered_at.date() for g in fresh])
        await insert_records(session, Order.__table__, ORDER_COLUMNS, orders)
        if self.items_per_batch is None:
            self.items_per_batch = await may_check_items_per_batch(session)
        await insert_items(
            session, OrderItem.__table__, ITEM_COLUMNS, items, per_batch=self.items_per_batch
        )
        keys.sort()  # in key order, each page of the key index is written once
        await insert_records(session, ImportKey.__table__, KEY_COLUMNS, keys)
        outcome.created = Counter(self.entities.created)
        self.entities.created.clear()
        tags = set()
        if outcome.created["products"] or outcome.created["categories"]:
            tags.add(PRODUCTS)
        if outcome.created["reps"]:
            tags.add(REPS)
        if orders or changes:
            await add_new_orders(session, new, self.settings.tz)
            await apply_order_changes(session, changes, self.settings.tz)
            await add_to_customer_stats(session, stats)
            tags.update((ORDERS, CUSTOMERS))
        elif outcome.created["customers"]:
            tags.add(CUSTOMERS)
        await move_sequences_past_rows(await session.connection(), SEQUENCED)
        errors.sort(key=lambda error: error.line)
        outcome.errors = errors
        outcome.failed = len({error.line for error in errors})
        return outcome, tags

    async def _partitions(self, session: AsyncSession, days: list[date]) -> None:
        """The monthly partitions of ``days`` (PostgreSQL), asked for once per month."""
        months = {(day.year, day.month) for day in days}
        if months <= self.months:
            return
        first, last = min(days), max(days)
        await session.run_sync(
            lambda sync: ensure_partitions(sync.connection(), first=first, last=last)
        )
        self.months |= months

    def _new_orders(
        self,
        orders: list[tuple[Any, ...]],
        items: list[tuple[Any, ...]],
        placed: list[datetime],
        regions: dict[int, str | None],
    ) -> NewOrders:
        """The batch's new orders (rows of :data:`ORDER_COLUMNS`, placed at ``placed``) and
        their items (rows of :data:`ITEM_COLUMNS`) as the rollups' columns."""
        if not orders:
            return NewOrders()
        ids, customers, reps, _, statuses, payments, _, discounts, totals, _, _ = map(
            list, zip(*orders, strict=True)
        )
        _, item_orders, _, products, quantities, prices, costs = map(list, zip(*items, strict=True))
        named = [self.entities.product_by_id(product_id) for product_id in set(products)]
        return NewOrders(
            ids=ids,
            placed=placed,
            statuses=statuses,
            customers=customers,
            payment_modes=payments,
            reps=reps,
            discounts=discounts,
            totals=totals,
            item_orders=item_orders,
            item_products=products,
            quantities=quantities,
            unit_prices=prices,
            unit_costs=costs,
            regions=regions,
            product_categories={product.id: product.category_id for product in named},
            parents={product.category_id: product.parent_category_id for product in named},
        )

    def _order(self, group: Group) -> tuple[int, int, int | None, str, list[Item]]:
        """The total, discount, rep and payment mode of the order of ``group``'s rows, and
        their item rows."""
        rep = next((row.sales_rep for row in group.rows if row.sales_rep), None)
        payment = next((row.payment_mode for row in group.rows if row.payment_mode), None)
        product_of = self.entities.product
        items: list[Item] = []
        subtotal = total = 0
        for row in group.rows:
            product = product_of(row)
            items.append((product.id, row.quantity, row.unit_price_cents, product.cost_cents))
            subtotal += row.quantity * row.unit_price_cents
            total += row.amount_cents
        discount = max(0, subtotal - total)
        return total, discount, self.entities.rep(rep), (payment or "")[:32], items

    def _facts(self, group: Group) -> tuple[OrderFacts, list[Item]]:
        """The facts of the lines ``group`` adds to an order, and their item rows."""
        first = group.rows[0]
        total, discount, rep_id, payment, items = self._order(group)
        lines = []
        for row, (product_id, quantity, price, cost) in zip(group.rows, items, strict=True):
            product = self.entities.product(row)
            lines.append(
                Line(
                    product_id,
                    product.category_id,
                    product.parent_category_id,
                    quantity,
                    price,
                    cost,
                )
            )
        facts = OrderFacts(
            customer_id=self.entities.customer(first).id,
            ordered_at=first.ordered_at,
            status=str(first.status),
            region=self.entities.customer(first).region or "",
            payment_mode=payment,
            sales_rep_id=rep_id,
            discount_cents=discount,
            total_cents=total,
            lines=tuple(lines),
        )
        return facts, items

    async def _extend(
        self,
        session: AsyncSession,
        extended: list[tuple[int, Group]],
        outcome: ImportReport,
        errors: list[RowError],
        next_item: int,
        keys: list[tuple[bytes, int, int | None]],
        changes: list[Change],
        stats: defaultdict[int, StatsDelta],
    ) -> list[tuple[Any, ...]]:
        """New lines of orders an earlier batch or import created: added to them when their
        time, status and customer agree with the stored order, else reported."""
        if not extended:
            return []
        before = await load_orders_facts(session, [order_id for order_id, _ in extended])
        customers = dict(
            (
                await session.execute(
                    select(Order.id, Order.customer_id).where(
                        Order.id.in_([order_id for order_id, _ in extended])
                    )
                )
            ).all()
        )
        stamp = stamper(session)
        items: list[tuple[Any, ...]] = []
        updates = []
        for order_id, group in extended:
            stored = before[order_id]
            first = group.rows[0]
            if (
                stored.ordered_at != first.ordered_at
                or stored.status != str(first.status)
                or customers[order_id] != self.entities.customer(first).id
            ):
                reason = "the order_id names an order already imported with another date,"
                reason += " customer or status"
                errors.extend(RowError(r.line, "order_id", group.ref, reason) for r in group.rows)
                continue
            facts, lines = self._facts(group)
            after = replace(
                stored,
                lines=stored.lines + facts.lines,
                total_cents=stored.total_cents + facts.total_cents,
                discount_cents=stored.discount_cents + facts.discount_cents,
            )
            at = stamp(stored.ordered_at)
            for line in lines:
                items.append((next_item, order_id, at, *line))
                next_item += 1
            keys.extend((key, order_id, self.import_id) for key in group.keys)
            changes.append((stored, after))
            if stored.status in self.recognised:
                stats[customers[order_id]].add(facts.total_cents, 0, stored.ordered_at)
            updates.append(
                {
                    "oid": order_id,
                    "at": stored.ordered_at,
                    "total": after.total_cents,
                    "discount": after.discount_cents,
                }
            )
            outcome.imported += len(group.rows)
            outcome.orders_extended += 1
        if updates:
            table = Order.__table__
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("oid"), table.c.ordered_at == bindparam("at"))
                .values(total_cents=bindparam("total"), discount_cents=bindparam("discount")),
                updates,
            )
        return items


async def _stored_keys(session: AsyncSession, keys: list[bytes]) -> set[bytes]:
    table = ImportKey.__table__
    return {
        bytes(key)
        for (key,) in await rows_with_keys(session, table, "fingerprint", ("fingerprint",), keys)
    }


async def _stored_orders(session: AsyncSession, groups: list[Group]) -> dict[str, int]:
    """The orders earlier batches or imports created for these groups' order references."""
    refs = {g.ref_key: g.ref for g in groups if g.ref is not None}
    rows = await rows_with_keys(
        session, ImportKey.__table__, "fingerprint", ("fingerprint", "order_id"), list(refs)
    )
    return {refs[bytes(fingerprint)]: order_id for fingerprint, order_id in rows}
