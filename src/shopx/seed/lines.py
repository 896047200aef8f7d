"""Order lines: how many per order, which products (Zipf-popular, distinct within an order)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_LINES = 20
CHEAP_CENTS = 2_000


@dataclass(frozen=True)
class Lines:
    order: np.ndarray
    """The order's row (0-based) for each line; lines are grouped by order."""
    starts: np.ndarray
    """Where each order's lines begin."""
    product: np.ndarray
    """The product's row (0-based)."""
    quantity: np.ndarray


def lines_per_order(
    orders: int, mean: float, products: int, rng: np.random.Generator
) -> np.ndarray:
    most = max(1, min(MAX_LINES, products // 2))
    return np.minimum(1 + rng.poisson(mean - 1.0, orders), most)


def distinct_products(
    order: np.ndarray, product: np.ndarray, popularity: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Redraw a line's product while its order already has that product on another line.

    ``order`` is sorted; after the first pass only the orders that had a repeat are checked.
    """
    product = product.copy()
    count = len(popularity)
    rows = np.arange(len(order))
    while len(rows):
        key = order[rows] * count + product[rows]
        by_key = np.argsort(key, kind="stable")
        repeated = rows[by_key[1:][key[by_key][1:] == key[by_key][:-1]]]
        product[repeated] = rng.choice(count, size=len(repeated), p=popularity)
        rows = rows[np.isin(order[rows], order[repeated])]
    return product


def generate_lines(
    orders: int,
    mean: float,
    popularity: np.ndarray,
    price_cents: np.ndarray,
    rng: np.random.Generator,
) -> Lines:
    per_order = lines_per_order(orders, mean, len(popularity), rng)
    order = np.repeat(np.arange(orders), per_order)
    product = rng.choice(len(popularity), size=len(order), p=popularity)
    product = distinct_products(order, product, popularity, rng)
    # People buy cheap things by the handful and dear things one at a time.
    keep_going = np.where(price_cents[product] < CHEAP_CENTS, 0.4, 0.15)
    quantity = np.minimum(rng.geometric(1.0 - keep_going), 12).astype(np.int32)
    starts = np.concatenate([[0], np.cumsum(per_order)[:-1]])
    return Lines(order, starts, product, quantity)
