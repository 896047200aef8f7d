"""Answers in the order of the keys that asked for them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def one_per_key(keys: Sequence[K], rows: Iterable[R], key_of: Callable[[R], K]) -> list[R | None]:
    """The row of each key, or None for a key no row has."""
    by_key = {key_of(row): row for row in rows}
    return [by_key.get(key) for key in keys]


def all_per_key(keys: Sequence[K], rows: Iterable[R], key_of: Callable[[R], K]) -> list[list[R]]:
    """The rows of each key, in the order the query returned them (empty for a key with none)."""
    by_key: dict[K, list[R]] = defaultdict(list)
    for row in rows:
        by_key[key_of(row)].append(row)
    return [by_key.get(key, []) for key in keys]
