"""What a cached answer depends on, and what a write touched: tags.

A tag names a kind of data: ``orders`` (orders, their items and every rollup), ``products``
(products and categories), ``customers``, ``reps``. An answer records the tags of the
tables behind every GraphQL type its query reaches (see :mod:`shopx.cache.documents`); a
committed write publishes the tags of the tables it wrote, found by watching the write
session (:func:`track_writes`), so no service has to remember to say what it changed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

ORDERS = "orders"
PRODUCTS = "products"
CUSTOMERS = "customers"
REPS = "reps"
ALL_TAGS = frozenset({ORDERS, PRODUCTS, CUSTOMERS, REPS})

TABLE_TAGS = {
    "orders": ORDERS,
    "order_items": ORDERS,
    "rollup_sales_daily": ORDERS,
    "rollup_sales_quarter_hourly": ORDERS,
    "rollup_rep_daily": ORDERS,
    "rollup_category_daily": ORDERS,
    "rollup_product_monthly": ORDERS,
    "rollup_product_yearly": ORDERS,
    "rollup_customer_gaps": ORDERS,
    "products": PRODUCTS,
    "products_fts": PRODUCTS,  # SQLite's full-text index of products, kept by their triggers
    "categories": PRODUCTS,
    "customers": CUSTOMERS,
    "customer_segment_totals": CUSTOMERS,  # kept by triggers on customers
    "sales_representatives": REPS,
}
"""Tables whose rows answers are made of. ``data_version`` is bookkeeping, not data."""

WRITTEN = "shopx.written_tags"
"""``Session.info`` key holding the tags a session has written so far."""


def note_written(session: Session, table_name: str) -> None:
    """Record a write the session cannot see: statements sent on the raw driver
    connection (bulk paths) bypass the ORM events :func:`track_writes` listens to."""
    _note(session, table_name)


def _note(session: Session, table_name: str | None) -> None:
    tag = TABLE_TAGS.get(table_name or "")
    if tag is not None:
        session.info.setdefault(WRITTEN, set()).add(tag)


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        _note(session, getattr(type(instance), "__tablename__", None))


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table: Any = getattr(state.statement, "table", None)
        _note(state.session, getattr(table, "name", None))


def track_writes(session_class: type[Session]) -> None:
    """Record in ``session.info`` the tags of every table sessions of this class write."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
        event.listen(session_class, "do_orm_execute", _on_execute)


def written_tags(session: Session) -> frozenset[str]:
    return frozenset(session.info.get(WRITTEN, ()))
