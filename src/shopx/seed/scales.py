"""How much data each ``shopx seed --scale`` makes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    products: int
    customers: int
    reps: int
    orders: int
    brands: int = 300
    items_per_order: float = 3.0
    """The mean number of lines in an order (each line: one product, a quantity)."""


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale("XS", products=50, customers=80, reps=5, orders=600, brands=20),
        Scale("S", products=1_000, customers=2_000, reps=20, orders=20_000, brands=120),
        Scale("M", products=100_000, customers=50_000, reps=100, orders=1_000_000),
        Scale("L", products=200_000, customers=500_000, reps=300, orders=10_000_000),
    )
}
