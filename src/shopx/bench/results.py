"""What one scenario measured, whichever load generator ran it (wrk, write_mix, cold_storm)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CacheCounts:
    """Responses by their ``X-Cache`` header; answers without one are not counted."""

    hit_l1: int
    hit_l2: int
    miss: int

    @property
    def hit_rate(self) -> float | None:
        """Percent of cache-answered responses that were hits (either tier)."""
        answered = self.hit_l1 + self.hit_l2 + self.miss
        return 100 * (self.hit_l1 + self.hit_l2) / answered if answered else None


@dataclass(frozen=True)
class WriteStats:
    """Writes of a read/write mix, and how the read right after each one did. The counts
    cover the whole run, warm-up included; the p95 only the measured part."""

    writes: int
    p95_ms: float
    checks: int
    """Reads of the writer's own data right after a successful write."""
    stale_reads: int
    """Checks that did not show the write."""
    p50_ms: float = 0.0
    per_second: float = 0.0
    """Writes that started and ended within the measured seconds, per second."""
    check_p95_ms: float = 0.0
    """The checks' p95 (measured part): a write's own data read right after it, which no
    cache can answer; the scenario's read columns leave them out."""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    cache: CacheCounts | None = None
    writes: WriteStats | None = None
    health_p99_ms: float | None = None
    """p99 of ``/health`` probed on its own connection during the run (cold_storm)."""
    per_instance: tuple[int, ...] | None = None
    """Requests each instance answered behind nginx (its access log), warm-up included."""


def nearest_rank(ordered: Sequence[float], percent: float) -> float:
    """The ``percent`` percentile of sorted samples (nearest rank); 0.0 for none."""
    if not ordered:
        return 0.0
    return ordered[max(math.ceil(percent / 100 * len(ordered)), 1) - 1]
