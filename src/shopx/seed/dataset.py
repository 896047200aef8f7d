"""The whole synthetic shop, generated in memory from one random seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from shopx.seed.catalog import generate_catalog
from shopx.seed.orders import generate_orders
from shopx.seed.people import Customers, generate_customers, generate_reps
from shopx.seed.scales import Scale
from shopx.seed.segments import NEVER, SEGMENTS, CustomerStats, customer_stats, segments
from shopx.seed.tables import Categorical, Table, text_column, timestamps
from shopx.seed.timeline import DAY_SECONDS, Calendar, Window
from shopx.seed.vocabulary import REGIONS

GENERATION_STEPS = 4
CATALOG_AGE_DAYS = 365


@dataclass(frozen=True)
class Dataset:
    window: Window
    tables: tuple[Table, ...]
    """In load order: every table after the tables it references."""

    def table(self, name: str) -> Table:
        return next(table for table in self.tables if table.name == name)

    def counts(self) -> dict[str, int]:
        return {table.name: table.rows for table in self.tables}

    def tally(self, table: str, column: str) -> dict[str, int]:
        """Rows per label of a text column drawn from a few labels (statuses, segments)."""
        values = self.table(table).columns[column]
        assert isinstance(values, Categorical)
        return values.counts()


def customers_table(customers: Customers, stats: CustomerStats, segment: np.ndarray) -> Table:
    profiles, lives = customers.profiles, customers.lives
    count = len(profiles.names)
    first, last = timestamps(stats.first_order), timestamps(stats.last_order)
    first[stats.first_order == NEVER] = np.datetime64("NaT")
    last[stats.last_order == NEVER] = np.datetime64("NaT")
    return Table(
        "customers",
        {
            "id": np.arange(1, count + 1, dtype=np.int64),
            "name": text_column(profiles.names),
            "email": text_column(profiles.emails),
            "region": Categorical(profiles.region, REGIONS),
            "gender": Categorical(profiles.gender, ("female", "male", "other")),
            "age": profiles.age,
            "segment": Categorical(segment, SEGMENTS),
            "lifetime_value_cents": stats.lifetime_value_cents,
            "order_count": stats.order_count,
            "first_order_at": first,
            "last_order_at": last,
            "is_active": np.ones(count, dtype=bool),
            "created_at": timestamps(lives.signed_up),
            "updated_at": timestamps(np.maximum(lives.signed_up, stats.last_order)),
        },
    )


def generate_dataset(
    scale: Scale, random_seed: int, today: date, step: Callable[[], None] = lambda: None
) -> Dataset:
    """Same scale, seed and ``today``: the same rows, bit for bit."""
    seeds = np.random.SeedSequence(random_seed).spawn(5)
    calendar_rng, catalog_rng, people_rng, reps_rng, orders_rng = map(np.random.default_rng, seeds)
    calendar = Calendar.of(Window(today), calendar_rng)
    opened = timestamps(np.array([calendar.window.start_epoch - CATALOG_AGE_DAYS * DAY_SECONDS]))
    catalog = generate_catalog(scale, catalog_rng, opened[0])
    step()
    customers = generate_customers(scale.customers, calendar, people_rng)
    reps = generate_reps(scale.reps, opened[0], reps_rng)
    step()
    orders = generate_orders(scale, customers, catalog, reps, calendar, orders_rng)
    step()
    stats = customer_stats(
        scale.customers, orders.customer, orders.placed, orders.status, orders.total_cents
    )
    segment = segments(stats, calendar.end_epoch)
    step()
    tables = (
        catalog.categories,
        catalog.products,
        customers_table(customers, stats, segment),
        reps.table,
        orders.orders,
        orders.items,
    )
    return Dataset(calendar.window, tables)
