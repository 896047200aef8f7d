"""Categories, brands and products: log-normal prices, a Zipf-like popularity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopx.columnar.tables import Table, nullable_ids, text_column
from shopx.seed.scales import Scale
from shopx.seed.vocabulary import ADJECTIVES, BRAND_ENDS, BRAND_STARTS, DEPARTMENTS

POPULARITY_EXPONENT = 0.95
PRICE_ELASTICITY = 0.3
MIN_PRICE_CENTS, MAX_PRICE_CENTS = 100, 200_000
PRICE_ENDINGS = np.array([1, 51, 100])  # subtracted from whole dollars: .99, .49, .00


@dataclass(frozen=True)
class Leaf:
    id: int
    department: int
    name: str
    nouns: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    categories: Table
    products: Table
    popularity: np.ndarray
    """Each product's share of the units sold; sums to 1."""
    price_cents: np.ndarray
    cost_cents: np.ndarray


def leaves() -> list[Leaf]:
    """Leaf categories, numbered after the departments (ids ``1..len(DEPARTMENTS)``)."""
    found, next_id = [], len(DEPARTMENTS) + 1
    for department, spec in enumerate(DEPARTMENTS):
        for name, nouns in spec.leaves.items():
            found.append(Leaf(next_id, department, name, nouns))
            next_id += 1
    return found


def categories_table(created_at: np.datetime64) -> Table:
    """Departments (no parent) first, then their leaves."""
    children = leaves()
    names = [d.name for d in DEPARTMENTS] + [leaf.name for leaf in children]
    parents = np.array([0] * len(DEPARTMENTS) + [leaf.department + 1 for leaf in children])
    count = len(names)
    return Table(
        "categories",
        {
            "id": np.arange(1, count + 1, dtype=np.int64),
            "name": text_column(names),
            "parent_id": nullable_ids(parents, parents > 0),
            "is_active": np.ones(count, dtype=bool),
            "created_at": np.full(count, created_at),
            "updated_at": np.full(count, created_at),
        },
    )


def brand_names(count: int, rng: np.random.Generator) -> list[str]:
    combos = [start + end for start in BRAND_STARTS for end in BRAND_ENDS]
    chosen = rng.choice(len(combos), size=min(count, len(combos)), replace=False)
    return [combos[i] for i in chosen]


def zipf_weights(count: int, rng: np.random.Generator) -> np.ndarray:
    """A random popularity rank per item; weight ``rank ** -POPULARITY_EXPONENT``."""
    ranks = rng.permutation(count) + 1
    weights = ranks.astype(np.float64) ** -POPULARITY_EXPONENT
    return weights / weights.sum()


def popularity(price_cents: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Zipf-like, tilted towards cheaper products."""
    weights = zipf_weights(len(price_cents), rng) * (price_cents / 100.0) ** -PRICE_ELASTICITY
    return weights / weights.sum()


def prices(leaf_of: np.ndarray, catalog_leaves: list[Leaf], rng: np.random.Generator):
    """Selling and cost prices in cents: log-normal around the department's typical price."""
    leaf_level = rng.lognormal(0.0, 0.35, len(catalog_leaves))
    medians = np.array([DEPARTMENTS[leaf.department].median_price for leaf in catalog_leaves])
    dollars = medians[leaf_of] * leaf_level[leaf_of] * rng.lognormal(0.0, 0.8, len(leaf_of))
    whole = np.ceil(np.clip(dollars, 1.0, MAX_PRICE_CENTS / 100)).astype(np.int64)
    ending = PRICE_ENDINGS[rng.choice(3, size=len(leaf_of), p=[0.7, 0.15, 0.15])]
    price = np.clip(whole * 100 - ending, MIN_PRICE_CENTS, MAX_PRICE_CENTS)
    cost = np.rint(price * rng.uniform(0.40, 0.85, len(leaf_of))).astype(np.int64)
    return price, cost


def stock_levels(count: int, rng: np.random.Generator):
    """Stock and reorder levels; about one product in ten is at or below its reorder level."""
    reorder = (rng.integers(1, 11, count) * 5).astype(np.int32)
    stock = np.rint(rng.lognormal(4.2, 0.9, count)).astype(np.int32) + reorder
    low = rng.random(count) < 0.1
    stock[low] = rng.integers(0, reorder[low] + 1)
    return stock, reorder


def brand_choices(leaf_of: np.ndarray, brands: int, catalog_leaves: list[Leaf], rng) -> np.ndarray:
    """A brand per product: four in five from the brands of the product's own department."""
    home = rng.integers(0, len(DEPARTMENTS), brands)
    weights = zipf_weights(brands, rng)
    department_of = np.array([leaf.department for leaf in catalog_leaves])[leaf_of]
    chosen = rng.choice(brands, size=len(leaf_of), p=weights)
    for department in range(len(DEPARTMENTS)):
        own = np.flatnonzero(home == department)
        rows = np.flatnonzero((department_of == department) & (rng.random(len(leaf_of)) < 0.8))
        if len(own) and len(rows):
            chosen[rows] = rng.choice(own, size=len(rows), p=weights[own] / weights[own].sum())
    return chosen


def product_texts(leaf_of, brand_of, brands: list[str], catalog_leaves: list[Leaf], rng):
    """SKUs, names ("<Brand> <Adjective> <Noun>") and one-line descriptions."""
    count = len(leaf_of)
    adjective_of = rng.integers(0, len(ADJECTIVES), count).tolist()
    noun_pick = rng.integers(0, 1 << 20, count).tolist()
    skus, names, descriptions = [], [], []
    pairs = zip(leaf_of.tolist(), brand_of.tolist(), strict=True)
    for row, (leaf_index, brand_index) in enumerate(pairs):
        leaf = catalog_leaves[leaf_index]
        noun = leaf.nouns[noun_pick[row] % len(leaf.nouns)]
        brand, adjective = brands[brand_index], ADJECTIVES[adjective_of[row]]
        department = DEPARTMENTS[leaf.department].name
        skus.append(f"{department[:3].upper()}-{leaf.id:02d}-{row + 1:07d}")
        names.append(f"{brand} {adjective} {noun}")
        descriptions.append(f"{adjective} {noun.lower()} by {brand}, in {leaf.name}.")
    return skus, names, descriptions


def generate_catalog(scale: Scale, rng: np.random.Generator, created_at: np.datetime64) -> Catalog:
    catalog_leaves = leaves()
    count = scale.products
    leaf_weights = rng.lognormal(0.0, 0.5, len(catalog_leaves))
    leaf_of = rng.choice(len(catalog_leaves), size=count, p=leaf_weights / leaf_weights.sum())
    brands = brand_names(scale.brands, rng)
    brand_of = brand_choices(leaf_of, len(brands), catalog_leaves, rng)
    price, cost = prices(leaf_of, catalog_leaves, rng)
    stock, reorder = stock_levels(count, rng)
    skus, names, descriptions = product_texts(leaf_of, brand_of, brands, catalog_leaves, rng)
    leaf_ids = np.array([leaf.id for leaf in catalog_leaves], dtype=np.int64)
    products = Table(
        "products",
        {
            "id": np.arange(1, count + 1, dtype=np.int64),
            "sku": text_column(skus),
            "name": text_column(names),
            "description": text_column(descriptions),
            "brand": text_column([brands[i] for i in brand_of.tolist()]),
            "category_id": leaf_ids[leaf_of],
            "cost_price_cents": cost,
            "selling_price_cents": price,
            "stock_quantity": stock,
            "reorder_level": reorder,
            "is_active": rng.random(count) < 0.97,
            "created_at": np.full(count, created_at),
            "updated_at": np.full(count, created_at),
        },
    )
    return Catalog(categories_table(created_at), products, popularity(price, rng), price, cost)
