"""Customers (who they are and when they shop) and sales representatives."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopx.columnar.tables import Categorical, Table, text_column
from shopx.seed.timeline import DAY_SECONDS, Calendar, Window
from shopx.seed.vocabulary import (
    EMAIL_DOMAINS,
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    REGION_WEIGHTS,
    REGIONS,
)

GENDERS = ("female", "male", "other")

# Lifecycles, as shares of all customers: signed up but never ordered, first order in
# the last 30 days, lapsed more than 180 days ago, lapsed 90 to 180 days ago; the rest
# keep ordering until today (over half of them were customers before the window opened).
NEVER, NEW, CHURNED, AT_RISK, ACTIVE = range(5)
LIFECYCLE_SHARES = (0.05, 0.06, 0.16, 0.08, 0.65)
RETURNING_SHARE = 0.55


@dataclass(frozen=True)
class Profiles:
    """Who the customers are: names, contact, demographics, region."""

    names: list[str]
    emails: list[str]
    gender: np.ndarray
    age: np.ndarray
    region: np.ndarray


@dataclass(frozen=True)
class Lifecycles:
    """When each customer shops: days ``[first_day, stop_day)`` of the window.

    ``anchor_day`` is the day of one order every customer who ever orders places: the
    first purchase for new and recently acquired customers, the last one before lapsing
    for churned and at-risk ones (-1: no such order). ``appetite`` weighs how many more
    orders a customer places relative to the others.
    """

    first_day: np.ndarray
    stop_day: np.ndarray
    anchor_day: np.ndarray
    appetite: np.ndarray
    signed_up: np.ndarray
    """Sign-up time, seconds since the Unix epoch."""


def lifecycle_kinds(count: int, rng: np.random.Generator) -> np.ndarray:
    """Exact shares, shuffled, so small data sets still hold every kind of customer."""
    sizes = np.floor(np.array(LIFECYCLE_SHARES[:-1]) * count).astype(int)
    sizes = np.maximum(sizes, 1) if count >= 2 * len(LIFECYCLE_SHARES) else sizes
    kinds = np.repeat(np.arange(len(LIFECYCLE_SHARES)), [*sizes, count - sizes.sum()])
    return rng.permutation(kinds)


def lifecycles(count: int, calendar: Calendar, rng: np.random.Generator) -> Lifecycles:
    days = calendar.window.days
    kind = lifecycle_kinds(count, rng)
    first, stop = np.zeros(count, dtype=np.int64), np.full(count, days, dtype=np.int64)
    anchor = np.full(count, -1, dtype=np.int64)

    def pick(rows: np.ndarray, low: int, high: int) -> np.ndarray:
        size = int(rows.sum())
        return calendar.sample_days(rng, np.full(size, low), np.full(size, high))

    new = kind == NEW
    first[new] = anchor[new] = pick(new, days - 30, days)
    for lapsed, low, high, mean_lifetime in (
        (CHURNED, 30, days - 181, 200.0),
        (AT_RISK, days - 180, days - 91, 300.0),
    ):
        rows = kind == lapsed
        anchor[rows] = pick(rows, low, high)
        stop[rows] = anchor[rows] + 1
        lifetime = 14 + rng.exponential(mean_lifetime, rows.sum()).astype(np.int64)
        first[rows] = np.maximum(0, anchor[rows] - lifetime)
    acquired = (kind == ACTIVE) & (rng.random(count) >= RETURNING_SHARE)
    first[acquired] = anchor[acquired] = pick(acquired, 0, days - 30)
    never = kind == NEVER
    first[never] = rng.integers(0, days, never.sum())

    appetite = rng.lognormal(0.0, 0.9, count) * calendar.share(first, stop)
    appetite[never] = 0.0
    signed_up = sign_up_times(first, anchor, calendar.window, rng)
    return Lifecycles(first, stop, anchor, appetite, signed_up)


def sign_up_times(first: np.ndarray, anchor: np.ndarray, window: Window, rng) -> np.ndarray:
    """Up to two weeks before the first active day; years before it for returning customers."""
    count = len(first)
    before = rng.integers(0, 14 * DAY_SECONDS, count)
    returning = (first == 0) & (anchor != 0)
    before[returning] = rng.integers(0, 3 * 365 * DAY_SECONDS, returning.sum())
    return window.start_epoch + first * DAY_SECONDS - before


def profiles(count: int, rng: np.random.Generator) -> Profiles:
    gender = rng.choice(len(GENDERS), size=count, p=[0.49, 0.49, 0.02])
    female = (gender == 0) | ((gender == 2) & (rng.random(count) < 0.5))
    first_pick = rng.integers(0, 1 << 20, count).tolist()
    last_pick = rng.integers(0, len(LAST_NAMES), count).tolist()
    domain_pick = rng.integers(0, len(EMAIL_DOMAINS), count).tolist()
    names, emails = [], []
    for row, is_female in enumerate(female.tolist()):
        pool = FEMALE_FIRST_NAMES if is_female else MALE_FIRST_NAMES
        first, last = pool[first_pick[row] % len(pool)], LAST_NAMES[last_pick[row]]
        names.append(f"{first} {last}")
        emails.append(f"{first}.{last}{row + 1}@{EMAIL_DOMAINS[domain_pick[row]]}".lower())
    age = np.clip(np.rint(rng.normal(41, 14, count)), 18, 80).astype(np.int32)
    region = rng.choice(len(REGIONS), size=count, p=REGION_WEIGHTS)
    return Profiles(names, emails, gender, age, region)


@dataclass(frozen=True)
class Customers:
    profiles: Profiles
    lives: Lifecycles


def generate_customers(count: int, calendar: Calendar, rng: np.random.Generator) -> Customers:
    return Customers(profiles(count, rng), lifecycles(count, calendar, rng))


@dataclass(frozen=True)
class Reps:
    table: Table
    region: np.ndarray
    weight: np.ndarray
    """How much of its region's assisted business each rep wins."""


def generate_reps(count: int, created_at: np.datetime64, rng: np.random.Generator) -> Reps:
    """Every region gets a rep before any region gets a second one."""
    region = np.arange(count) % len(REGIONS)
    extra = max(0, count - len(REGIONS))
    region[len(REGIONS) :] = rng.choice(len(REGIONS), extra, p=REGION_WEIGHTS)
    female = rng.random(count) < 0.5
    names, emails = [], []
    for row, is_female in enumerate(female.tolist()):
        pool = FEMALE_FIRST_NAMES if is_female else MALE_FIRST_NAMES
        first, last = pool[rng.integers(len(pool))], LAST_NAMES[rng.integers(len(LAST_NAMES))]
        names.append(f"{first} {last}")
        emails.append(f"{first}.{last}.{row + 1}@shopx.example".lower())
    ids = np.arange(1, count + 1, dtype=np.int64)
    table = Table(
        "sales_representatives",
        {
            "id": ids,
            "name": text_column(names),
            "email": text_column(emails),
            "region": Categorical(region, REGIONS),
            "commission_rate_bp": (rng.integers(8, 41, count) * 25).astype(np.int32),
            "is_active": np.ones(count, dtype=bool),
            "created_at": np.full(count, created_at),
            "updated_at": np.full(count, created_at),
        },
    )
    return Reps(table, region, rng.lognormal(0.0, 0.5, count))
