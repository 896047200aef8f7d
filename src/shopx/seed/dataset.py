"""The whole synthetic shop, generated in memory from one random seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from shopx.columnar.tables import Categorical, Table, text_column, timestamps
from shopx.seed.catalog import Catalog, generate_catalog
from shopx.seed.orders import generate_orders
from shopx.seed.people import GENDERS, Customers, Reps, generate_customers, generate_reps
from shopx.seed.scales import Scale
from shopx.seed.timeline import DAY_SECONDS, Calendar, Window
from shopx.seed.vocabulary import REGIONS

GENERATION_STEPS = 3
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


def customers_table(customers: Customers) -> Table:
    """Customers as they sign up: the order statistics and segment keep their column
    defaults (none, 0, NEW) until the service derives them from the loaded orders."""
    profiles, lives = customers.profiles, customers.lives
    count = len(profiles.names)
    signed_up = timestamps(lives.signed_up)
    return Table(
        "customers",
        {
            "id": np.arange(1, count + 1, dtype=np.int64),
            "name": text_column(profiles.names),
            "email": text_column(profiles.emails),
            "region": Categorical(profiles.region, REGIONS),
            "gender": Categorical(profiles.gender, GENDERS),
            "age": profiles.age,
            "is_active": np.ones(count, dtype=bool),
            "created_at": signed_up,
            "updated_at": signed_up,
        },
    )


@dataclass(frozen=True)
class World:
    """Everything the orders are drawn from, and the random stream they are drawn with."""

    calendar: Calendar
    catalog: Catalog
    customers: Customers
    reps: Reps
    orders_rng: np.random.Generator


def generate_world(
    scale: Scale, random_seed: int, until: datetime, step: Callable[[], None] = lambda: None
) -> World:
    """The shop before its orders: the same for the same scale, seed and ``until``."""
    seeds = np.random.SeedSequence(random_seed).spawn(5)
    calendar_rng, catalog_rng, people_rng, reps_rng, orders_rng = map(np.random.default_rng, seeds)
    calendar = Calendar.of(Window(until), calendar_rng)
    opened = timestamps(np.array([calendar.window.start_epoch - CATALOG_AGE_DAYS * DAY_SECONDS]))
    catalog = generate_catalog(scale, catalog_rng, opened[0])
    step()
    customers = generate_customers(scale.customers, calendar, people_rng)
    reps = generate_reps(scale.reps, opened[0], reps_rng)
    step()
    return World(calendar, catalog, customers, reps, orders_rng)


def generate_dataset(
    scale: Scale, random_seed: int, until: datetime, step: Callable[[], None] = lambda: None
) -> Dataset:
    """Same scale, seed and ``until``: the same rows, bit for bit."""
    world = generate_world(scale, random_seed, until, step)
    catalog, customers, reps = world.catalog, world.customers, world.reps
    orders = generate_orders(scale, customers, catalog, reps, world.calendar, world.orders_rng)
    step()
    tables = (
        catalog.categories,
        catalog.products,
        customers_table(customers),
        reps.table,
        orders.orders,
        orders.items,
    )
    return Dataset(world.calendar.window, tables)
