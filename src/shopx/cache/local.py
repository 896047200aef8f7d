"""The in-process tier: a bounded LRU of serialized answers with TTLs and a memory cap."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shopx import observability


@dataclass(slots=True)
class TierStats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0

    @property
    def hit_rate(self) -> float | None:
        """Hits / lookups, in %; null before the first lookup."""
        total = self.hits + self.misses
        return self.hits / total * 100 if total else None


@dataclass(slots=True)
class Entry:
    """One cached answer: its bytes, when it expires and what it was computed against."""

    body: bytes
    expires_at: float
    """``time.monotonic()`` deadline."""
    stamp: Any
    """Whatever the owner needs to tell whether the entry is still fresh (tag versions)."""
    extra: dict[str, bytes] = field(default_factory=dict)
    """Other encodings of ``body`` (``"gzip"``), made once."""
    headers: dict[str, tuple[tuple[bytes, bytes], ...]] = field(default_factory=dict)
    """Response headers per way of sending it, made once."""
    tags: tuple[str, ...] = ()
    ttl: float = 0.0

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(value) for value in self.extra.values()) + 200


class LocalTier:
    """Least recently used entries go first when either bound is reached; expired ones on sight."""

    def __init__(
        self,
        *,
        max_entries: int,
        max_bytes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries, self.max_bytes, self._clock = max_entries, max_bytes, clock
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self.bytes = 0
        self.stats = TierStats()
        observability.watch_tier(self, "l1", self.stats)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            self.stats.misses += 1
            return None
        if entry.expires_at <= self._clock():
            self._remove(key)
            self.stats.misses += 1
            return None
        self._entries.move_to_end(key)
        self.stats.hits += 1
        return entry

    def peek(self, key: str) -> Entry | None:
        """The live entry for ``key``, without counting a lookup or touching its recency."""
        entry = self._entries.get(key)
        return entry if entry is not None and entry.expires_at > self._clock() else None

    def put(
        self, key: str, body: bytes, ttl: float, stamp: Any, tags: tuple[str, ...] = ()
    ) -> Entry:
        """Keep ``body`` for ``ttl`` seconds (not kept when larger than the whole tier)."""
        entry = Entry(body, self._clock() + ttl, stamp, tags=tags, ttl=ttl)
        if key in self._entries:
            self._remove(key)
        if entry.size <= self.max_bytes:
            self._entries[key] = entry
            self.bytes += entry.size
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                self._remove(next(iter(self._entries)))
                self.stats.evictions += 1
        return entry

    def reject(self, key: str) -> None:
        """The entry :meth:`get` just returned is no longer valid: drop it, count a miss."""
        if key in self._entries:
            self._remove(key)
        self.stats.hits -= 1
        self.stats.misses += 1

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0

    def _remove(self, key: str) -> None:
        self.bytes -= self._entries.pop(key).size
