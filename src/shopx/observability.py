"""Prometheus metrics of this process, and the plain functions the hot paths call to move them.

Served at ``GET /metrics`` (``shopx.api.metrics``). Values are per process: with several
workers, each one answers for itself.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)  # fmt: skip
"""Seconds; finer than the library's default at the low end, where cache hits land."""

REQUESTS = Counter(
    "shopx_requests_total",
    "HTTP requests, by GraphQL operation name or REST route template.",
    ["operation", "kind"],
)
REQUEST_DURATION = Histogram(
    "shopx_request_duration_seconds",
    "Time from receiving an HTTP request to the end of its response.",
    ["operation", "kind"],
    buckets=LATENCY_BUCKETS,
)
CACHE_INVALIDATIONS = Counter(
    "shopx_cache_invalidations_total",
    "Invalidations applied in this process, by where they came from.",
    ["source"],
)
DB_QUERY_DURATION = Histogram(
    "shopx_db_query_duration_seconds",
    "Time the database driver spent on each SQL statement.",
    buckets=LATENCY_BUCKETS,
)
JOB_RUNS = Counter(
    "shopx_job_runs_total",
    "Background job runs recorded by this process, by job and outcome.",
    ["job", "outcome"],
)
JOB_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
"""Seconds; jobs take from a fraction of a second to an hour (their longest timeout)."""
JOB_DURATION = Histogram(
    "shopx_job_duration_seconds",
    "Time a background job ran in this process, by job (skipped runs are not timed).",
    ["job"],
    buckets=JOB_BUCKETS,
)
REPLICA_WAITS = Histogram(
    "shopx_replica_wait_seconds",
    "Time a write waited for the read replica to replay its commit, by outcome (caught_up,"
    " timed_out, failed).",
    ["outcome"],
    buckets=LATENCY_BUCKETS,
)
SCHEDULER_LEADER = Gauge(
    "shopx_scheduler_leader",
    "1 while this process holds the embedded scheduler's lock and runs the job schedule, else 0.",
)

_invalidations = {
    source: CACHE_INVALIDATIONS.labels(source) for source in ("local", "remote", "clear")
}


class TierCounts(Protocol):
    hits: int
    misses: int


class _CacheEvents(Collector):
    """``shopx_cache_events_total{tier,result}``, read from the tiers' own counts when
    scraped: a cache hit costs no metric update at all."""

    def __init__(self) -> None:
        self.tiers: weakref.WeakKeyDictionary[object, tuple[str, TierCounts]] = (
            weakref.WeakKeyDictionary()
        )

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            "shopx_cache_events",
            "Response cache lookups, by tier (l1 in-process, l2 Redis) and result (hit, miss).",
            labels=["tier", "result"],
        )
        totals: dict[tuple[str, str], int] = {}
        for name, counts in list(self.tiers.values()):
            for result, value in (("hit", counts.hits), ("miss", counts.misses)):
                totals[name, result] = totals.get((name, result), 0) + value
        for (name, result), value in sorted(totals.items()):
            family.add_metric([name, result], value)
        yield family


_CACHE_EVENTS = _CacheEvents()
REGISTRY.register(_CACHE_EVENTS)


def watch_tier(owner: object, name: str, counts: TierCounts) -> None:
    """Report ``counts`` as tier ``name`` ("l1", "l2") for as long as ``owner`` lives."""
    _CACHE_EVENTS.tiers[owner] = (name, counts)


def invalidation(source: str) -> None:
    """Count one invalidation applied here; ``source`` is e.g. "local", "remote", "clear"."""
    child = _invalidations.get(source)
    if child is None:
        child = _invalidations[source] = CACHE_INVALIDATIONS.labels(source)
    child.inc()


def job_run(job: str, outcome: str, seconds: float | None) -> None:
    """Count one recorded run of ``job``; time it when it ran (``seconds`` not None)."""
    JOB_RUNS.labels(job, outcome).inc()
    if seconds is not None:
        JOB_DURATION.labels(job).observe(seconds)


def replica_wait(outcome: str, seconds: float) -> None:
    """Time one wait for the read replica; ``outcome`` is "caught_up", "timed_out" or "failed"."""
    REPLICA_WAITS.labels(outcome).observe(seconds)


def scheduler_leader(leading: bool) -> None:
    """Whether this process now runs the embedded job schedule."""
    SCHEDULER_LEADER.set(1 if leading else 0)


_QUERY_STARTED = "shopx.query_started"


def instrument_engine(engine: AsyncEngine) -> None:
    """Time every SQL statement ``engine`` runs into ``shopx_db_query_duration_seconds``.

    Calling it again on the same engine changes nothing.
    """
    sync_engine = engine.sync_engine
    if event.contains(sync_engine, "before_cursor_execute", _query_started):
        return
    event.listen(sync_engine, "before_cursor_execute", _query_started)
    event.listen(sync_engine, "after_cursor_execute", _query_finished)


def _query_started(conn: Any, *_: Any) -> None:
    conn.info[_QUERY_STARTED] = time.perf_counter()


def _query_finished(conn: Any, *_: Any) -> None:
    started = conn.info.pop(_QUERY_STARTED, None)
    if started is not None:
        DB_QUERY_DURATION.observe(time.perf_counter() - started)
