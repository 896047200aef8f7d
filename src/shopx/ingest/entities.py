"""The products, categories, customers and reps that imported rows name, found or created.

Names are matched trimmed, with inner runs of spaces made one and case folded
(:func:`shopx.ingest.keys.fold`); when several stored rows match, the oldest (lowest id)
wins. What a created row gets where the file is silent:

- a category: top level (no parent); a product without a category goes to ``Uncategorized``;
- a product: the SKU ``IMP-`` + 10 hex digits of the SHA-256 of its folded name (so a later
  import finds it again even after a rename), the first imported unit price as its selling
  price, cost 0 (the file has no cost: its margin reads 100 % until a cost is entered, and
  the lines imported before keep the cost 0 they were sold at), stock 0 (stock is not
  known from past sales, so the low-stock alerts list the product until stock is entered);
- a customer (by ``customer_id`` -> ``external_id``, else email, else name): the file's name
  (else its email or reference), its email, or when it has none (or another customer holds
  it) a placeholder ``import-<hash>@customers.invalid`` derived from who the row names, so
  the same customer is found again; rows naming nobody go to one ``Anonymous customer``;
  the first row's region;
- a rep: the file's name, a placeholder ``import-<hash>@reps.invalid``, the first row's
  region, commission 0.

Each import keeps what it found in memory and, per batch, reads only what is new since
(rows with a higher id), so a product created meanwhile by someone else is found.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopx.db.models import Category, Customer, Product, SalesRepresentative
from shopx.ingest.bulk import insert_records, stamper
from shopx.ingest.keys import customer_identity, fold
from shopx.ingest.rows import SaleRow

UNCATEGORIZED = "Uncategorized"
ANONYMOUS = "Anonymous customer"
CUSTOMER_COLUMNS = (
    "id",
    "external_id",
    "name",
    "email",
    "region",
    "segment",
    "lifetime_value_cents",
    "order_count",
    "is_active",
    "created_at",
    "updated_at",
)
LOOKUP_CHUNK = 5_000
"""Values per IN list: under both drivers' bound-parameter limits."""


@dataclass(frozen=True, slots=True)
class ProductInfo:
    id: int
    category_id: int
    parent_category_id: int | None
    cost_cents: int


@dataclass(frozen=True, slots=True)
class CustomerInfo:
    id: int
    region: str | None


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def generated_sku(name: str) -> str:
    return "IMP-" + _hash("product", fold(name))[:10].upper()


def placeholder_email(identity: tuple[str, str]) -> str:
    return f"import-{_hash('customer', *identity)[:20]}@customers.invalid"


def rep_email(name: str) -> str:
    return f"import-{_hash('rep', fold(name))[:20]}@reps.invalid"


def product_name(row: SaleRow) -> str:
    """The name a product created for ``row`` gets (the column holds 200 characters)."""
    return row.product_name.strip()[:200]


def product_key(row: SaleRow) -> str:
    """How ``row``'s product is matched: its name as a created product would store it."""
    return fold(product_name(row))


def category_name(row: SaleRow) -> str:
    """The name of the category ``row``'s new product goes to (120 characters at most)."""
    return " ".join((row.category or UNCATEGORIZED).split())[:120]


_PRODUCT = attrgetter("product_name")
_REP = attrgetter("sales_rep")
_CUSTOMER = attrgetter("customer_id", "customer_email", "customer_name")


def _firsts(rows: Sequence[SaleRow], value: Callable[[SaleRow], Any]) -> Iterable[SaleRow]:
    """The first row of each distinct ``value`` among ``rows``, in their order."""
    firsts: dict[Any, SaleRow] = {}
    for row in rows:
        firsts.setdefault(value(row), row)
    return firsts.values()


def _chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield list(values[start : start + LOOKUP_CHUNK])


class Entities:
    """What one import found and created (module doc); ``created`` counts by kind."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.products: dict[str, ProductInfo] = {}
        self.categories: dict[str, tuple[int, int | None]] = {}
        self.reps: dict[str, int] = {}
        self.customers: dict[tuple[str, str], CustomerInfo] = {}
        self.created: Counter[str] = Counter()
        self._seen = {"products": 0, "categories": 0, "reps": 0}
        self._by_name: dict[str, ProductInfo] = {}
        """Products by their name as rows give it (a file repeats a name as it is)."""
        self._by_id: dict[int, ProductInfo] = {}

    async def resolve(self, session: AsyncSession, rows: Sequence[SaleRow]) -> None:
        """Find or create everything ``rows`` name (inside the batch's transaction)."""
        # Each distinct value once (the first row naming it): a batch repeats them.
        await self._categories_and_products(session, _firsts(rows, _PRODUCT))
        reps: dict[str, SaleRow] = {}
        for row in _firsts(rows, _REP):
            if fold(row.sales_rep):
                reps.setdefault(fold(row.sales_rep), row)
        await self._reps(session, reps)
        wanted: dict[tuple[str, str], SaleRow] = {}
        for row in _firsts(rows, _CUSTOMER):
            identity = customer_identity(row)
            if identity not in self.customers:
                wanted.setdefault(identity, row)
        if wanted:
            await self._customers(session, wanted)

    def product(self, row: SaleRow) -> ProductInfo:
        found = self._by_name.get(row.product_name)
        if found is None:
            found = self._by_name[row.product_name] = self.products[product_key(row)]
            self._by_id[found.id] = found
        return found

    def product_by_id(self, product_id: int) -> ProductInfo:
        """A product :meth:`product` has answered."""
        return self._by_id[product_id]

    def rep(self, name: str | None) -> int | None:
        return self.reps[fold(name)] if fold(name) else None

    def customer(self, row: SaleRow) -> CustomerInfo:
        return self.customers[customer_identity(row)]

    # -- catalog -------------------------------------------------------------------------

    async def _refresh_catalog(self, session: AsyncSession) -> None:
        """Read the categories and products added since the last read."""
        for cid, name, parent in await session.execute(
            select(Category.id, Category.name, Category.parent_id)
            .where(Category.id > self._seen["categories"])
            .order_by(Category.id)
        ):
            key = fold(name)
            known = self.categories.get(key)
            # A top-level category wins over a subcategory of the same name.
            if known is None or (known[1] is not None and parent is None):
                self.categories[key] = (cid, parent)
            self._seen["categories"] = cid
        rows = await session.execute(
            select(
                Product.id,
                Product.name,
                Product.category_id,
                Category.parent_id,
                Product.cost_price_cents,
            )
            .join(Category, Category.id == Product.category_id)
            .where(Product.id > self._seen["products"])
            .order_by(Product.id)
        )
        for pid, name, category_id, parent, cost in rows:
            self.products.setdefault(fold(name), ProductInfo(pid, category_id, parent, cost))
            self._seen["products"] = pid

    async def _categories_and_products(
        self, session: AsyncSession, rows: Iterable[SaleRow]
    ) -> None:
        missing: dict[str, SaleRow] = {}
        for row in rows:
            key = product_key(row)
            if key not in self.products:
                missing.setdefault(key, row)
        if not missing:
            return
        await self._refresh_catalog(session)
        missing = {key: row for key, row in missing.items() if key not in self.products}
        if not missing:
            return
        # A product this import's SKU scheme created before, renamed since: found by its SKU.
        skus = {generated_sku(row.product_name).lower(): key for key, row in missing.items()}
        for chunk in _chunks(list(skus)):
            for pid, sku, category_id, parent, cost in await session.execute(
                select(
                    Product.id,
                    Product.sku,
                    Product.category_id,
                    Category.parent_id,
                    Product.cost_price_cents,
                )
                .join(Category, Category.id == Product.category_id)
                .where(func.lower(Product.sku).in_(chunk))
            ):
                key = skus[sku.lower()]
                self.products[key] = ProductInfo(pid, category_id, parent, cost)
                missing.pop(key, None)
        if not missing:
            return
        names = {fold(category_name(row)): category_name(row) for row in missing.values()}
        new_categories = [key for key in names if key not in self.categories]
        if new_categories:
            next_id = await _next_id(session, Category.id)
            records = []
            for offset, key in enumerate(new_categories):
                name = names[key]
                self.categories[key] = (next_id + offset, None)
                records.append(
                    {
                        "id": next_id + offset,
                        "name": name,
                        "parent_id": None,
                        "is_active": True,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                )
            await session.execute(Category.__table__.insert(), records)
            self._seen["categories"] = next_id + len(records) - 1
            self.created["categories"] += len(records)
        next_id = await _next_id(session, Product.id)
        records = []
        for offset, (key, row) in enumerate(missing.items()):
            category_id, parent = self.categories[fold(category_name(row))]
            pid = next_id + offset
            self.products[key] = ProductInfo(pid, category_id, parent, 0)
            records.append(
                {
                    "id": pid,
                    "sku": generated_sku(row.product_name),
                    "name": product_name(row),
                    "category_id": category_id,
                    "cost_price_cents": 0,
                    "selling_price_cents": row.unit_price_cents,
                    "stock_quantity": 0,
                    "reorder_level": 10,
                    "is_active": True,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        await session.execute(Product.__table__.insert(), records)
        self._seen["products"] = next_id + len(records) - 1
        self.created["products"] += len(records)

    # -- reps ----------------------------------------------------------------------------

    async def _reps(self, session: AsyncSession, wanted: dict[str, SaleRow]) -> None:
        missing = {key: row for key, row in wanted.items() if key not in self.reps}
        if not missing:
            return
        emails = {rep_email(key): key for key in missing}
        for rid, name, email in await session.execute(
            select(SalesRepresentative.id, SalesRepresentative.name, SalesRepresentative.email)
            .where(SalesRepresentative.id > self._seen["reps"])
            .order_by(SalesRepresentative.id)
        ):
            self.reps.setdefault(fold(name), rid)
            if email in emails:
                self.reps.setdefault(emails[email], rid)
            self._seen["reps"] = rid
        missing = {key: row for key, row in missing.items() if key not in self.reps}
        if not missing:
            return
        next_id = await _next_id(session, SalesRepresentative.id)
        records = []
        for offset, (key, row) in enumerate(missing.items()):
            self.reps[key] = next_id + offset
            records.append(
                {
                    "id": next_id + offset,
                    "name": " ".join((row.sales_rep or "").split())[:200],
                    "email": rep_email(key),
                    "region": (row.region or None) and row.region[:64],
                    "commission_rate_bp": 0,
                    "is_active": True,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        await session.execute(SalesRepresentative.__table__.insert(), records)
        self._seen["reps"] = next_id + len(records) - 1
        self.created["reps"] += len(records)

    # -- customers -----------------------------------------------------------------------

    async def _customers(
        self, session: AsyncSession, wanted: dict[tuple[str, str], SaleRow]
    ) -> None:
        external = [value for (kind, value) in wanted if kind == "id"]
        emails = {placeholder_email(identity) for identity in wanted if identity[0] != "email"}
        emails.update(value for (kind, value) in wanted if kind == "email")
        emails.update(row.customer_email for row in wanted.values() if row.customer_email)
        names = [value for (kind, value) in wanted if kind == "name"]
        by_external: dict[str, CustomerInfo] = {}
        by_email: dict[str, CustomerInfo] = {}
        by_name: dict[str, CustomerInfo] = {}
        columns = (Customer.id, Customer.region, Customer.external_id, Customer.email)
        for values, column in ((external, Customer.external_id), (sorted(emails), Customer.email)):
            for chunk in _chunks(values):
                for cid, region, ext, email in await session.execute(
                    select(*columns).where(column.in_(chunk))
                ):
                    info = CustomerInfo(cid, region)
                    if ext is not None:
                        by_external[ext] = info
                    by_email[email.lower()] = info
        # lower() folds ASCII only on SQLite: a name matched there is checked in Python too.
        for chunk in _chunks(names):
            for cid, region, name in await session.execute(
                select(Customer.id, Customer.region, Customer.name)
                .where(or_(func.lower(Customer.name).in_(chunk), Customer.name.in_(chunk)))
                .order_by(Customer.id.desc())
            ):
                by_name[fold(name)] = CustomerInfo(cid, region)
        next_id = await _next_id(session, Customer.id)
        created = stamper(session)(self.now)
        planned: dict[str, CustomerInfo] = {}
        records = []
        for identity, row in wanted.items():
            kind, value = identity
            placeholder = placeholder_email(identity)
            if kind == "id":
                hit = by_external.get(value) or by_email.get(placeholder)
                if hit is None and row.customer_email:
                    hit = by_email.get(row.customer_email)
            elif kind == "email":
                hit = by_email.get(value)
            elif kind == "name":
                hit = by_email.get(placeholder) or by_name.get(value)
            else:
                hit = by_email.get(placeholder)
            if hit is not None:
                self.customers[identity] = hit
                continue
            email = placeholder
            if kind == "email":
                email = value
            elif kind == "id" and row.customer_email and row.customer_email not in by_email:
                email = row.customer_email
            if email in planned:
                self.customers[identity] = planned[email]
                continue
            info = CustomerInfo(next_id + len(records), (row.region or None) and row.region[:64])
            planned[email] = self.customers[identity] = info
            name = " ".join((row.customer_name or "").split()) or (
                row.customer_email or row.customer_id or ANONYMOUS
            )
            records.append(
                (
                    info.id,
                    value if kind == "id" else None,
                    name[:200],
                    email,
                    info.region,
                    "NEW",
                    0,
                    0,
                    True,
                    created,
                    created,
                )
            )
        await insert_records(session, Customer.__table__, CUSTOMER_COLUMNS, records)
        self.created["customers"] += len(records)


async def _next_id(session: AsyncSession, column: Any) -> int:
    """The id after the largest stored (the caller holds the writers' lock)."""
    return (await session.scalar(select(func.max(column))) or 0) + 1
