"""Whole answers: look them up in the tiers, or compute them once however many ask at once.

Lookup order: the in-process tier (valid while :class:`~shopx.cache.freshness.Freshness`
says so), then Redis (valid while no write has committed since), then compute. Concurrent
misses for one key in a process share one computation (single flight); across instances,
the first to miss takes a short Redis lock and the others wait for its answer to appear
in the shared tier (up to :data:`LOCK_WAIT`), then compute themselves if it did not.
Answers with errors, or any status but 200, are never stored.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

import orjson

from shopx.cache.coalesce import AfterCall
from shopx.cache.documents import Plan, TtlClass
from shopx.cache.freshness import Freshness, Stamp
from shopx.cache.local import Entry, LocalTier
from shopx.cache.remote import RedisTier

log = logging.getLogger("shopx.cache")

LOCK_TTL_MS = 5_000
LOCK_WAIT = 2.0
LOCK_POLL = 0.01
GZIP_FROM = 1024


@dataclass(frozen=True, slots=True)
class Computed:
    """What the API answered: status, headers (lower-case names), body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def storable(self) -> bool:
        if self.status != 200:
            return False
        try:
            answer = orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return False
        return isinstance(answer, dict) and "errors" not in answer


@dataclass(frozen=True, slots=True)
class Flight:
    """One computation in progress that concurrent requests for its key may share."""

    answer: asyncio.Future[Answer]
    stamp: asyncio.Future[Stamp]
    """What the computation's answer is as fresh as: set before it starts computing."""


@dataclass(frozen=True, slots=True)
class Answer:
    computed: Computed
    source: str
    """``HIT-L1``, ``HIT-L2`` or ``MISS``."""
    entry: Entry | None = None

    def headers(self, packed: bytes | None) -> list[tuple[bytes, bytes]]:
        """Response headers for the body as sent (``packed``: gzipped), made once per entry."""
        name = f"{self.source}:{'gzip' if packed is not None else 'identity'}"
        made = self.entry.headers.get(name) if self.entry is not None else None
        if made is None:
            encoding = (
                ((b"content-encoding", b"gzip"), (b"vary", b"accept-encoding"))
                if packed is not None
                else ()
            )
            length = len(packed if packed is not None else self.computed.body)
            made = (
                *self.computed.headers,
                *encoding,
                (b"content-length", str(length).encode()),
                (b"x-cache", self.source.encode()),
            )
            if self.entry is not None:
                self.entry.headers[name] = made
        return list(made)

    def gzipped(self) -> bytes | None:
        """The body gzip-compressed (made once per entry), or None when not worth it."""
        body = self.computed.body
        if len(body) < GZIP_FROM:
            return None
        if self.entry is None:
            return gzip.compress(body, compresslevel=6)
        if "gzip" not in self.entry.extra:
            self.entry.extra["gzip"] = gzip.compress(body, compresslevel=6)
        return self.entry.extra["gzip"]


JSON_HEADERS = ((b"content-type", b"application/json"),)


Compute = Callable[[], Awaitable[Computed]]
"""Asks the API for an answer; kept (:class:`Recipe`) so that the answer can be made again."""

COUNTED: ContextVar[int | None] = ContextVar("shopx_answer_counted", default=None)
"""While the cache computes an answer: the write counter its stamp read, before the
computation began. The answer reflects at least the writes counted there, so the API says
when the last of them committed (``dataAsOf``) without reading the counter again."""


async def _computed(compute: Compute, counted: int) -> Computed:
    """``compute()`` with :data:`COUNTED` set to ``counted`` while it runs."""
    token = COUNTED.set(counted)
    try:
        return await compute()
    finally:
        COUNTED.reset(token)


@dataclass(frozen=True, slots=True)
class Recipe:
    """How to compute an answer again, kept apart from its entry: under a storm of writes
    most computations overlap a commit, so their answers are not stored, and a hot answer
    must still be recomputed after the next write (:meth:`ResponseCache.refresh_soon`)."""

    plan: Plan
    compute: Compute
    cost: float
    """Seconds its last computation here took (0 when unknown: brought from Redis)."""


HOT_WINDOW = 10.0
"""Seconds: requests served are counted per window, and the heat of an answer is their
count in the current and the previous window."""
HOT_HITS = 3
"""An answer served this many times lately is *hot*: it is recomputed after the writes that
touch it. A request counts when it did not compute the answer itself: a hit in either tier,
or a computation it shared with the request that started it. (One read once after each
write, like one customer's page, computes each time and is not worth it.) Counting hits
alone was not enough: under a storm of writes, readers of the dashboard shared one
computation after each write and never hit, so its heat fell to 0, it was no longer
recomputed in the background, and each of them waited for it (the README's Benchmarks,
Writes)."""
HOT_LIMIT = 32
"""At most this many hot answers are recomputed after a burst of writes, the hottest first..."""
HOT_BUDGET = 1.0
"""...and only as many as their last computations took, together, this many seconds: the
hot answers of a dashboard page are recomputed in the background; an expensive one (a
year's dashboard under load) is left to its next reader. The budget is set so that the
month's dashboard stays in under ``shopx bench --scenarios write_mix``: with a tighter one it
fell out and its readers paid for the recomputation (the README's Benchmarks section)."""


class Warmth(StrEnum):
    """What warming one answer found (:meth:`ResponseCache.warm`)."""

    WARM = "warm"
    """It was cached and fresh already: left alone."""
    WARMED = "warmed"
    """It was cold: computed and stored now."""
    UNSTORED = "unstored"
    """Computed, but not stored: an error answer, or a write landed while computing."""


class ResponseCache:
    def __init__(
        self,
        local: LocalTier,
        freshness: Freshness,
        ttls: dict[TtlClass, float],
        remote: RedisTier | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.local, self.freshness, self.remote, self.ttls = local, freshness, remote, ttls
        self._clock = clock
        self._flights: dict[str, Flight] = {}
        self._hits: dict[str, int] = {}
        """Key -> times served from the in-process tier in the current window..."""
        self._hits_before: dict[str, int] = {}
        """...and in the previous one."""
        self._window_ends = clock() + HOT_WINDOW
        self._refreshes: dict[str, AfterCall[None]] = {}
        self._recipes: dict[str, Recipe] = {}
        """Key -> its recipe, the latest last; as many as the in-process tier holds entries."""
        self.computations = 0
        freshness.invalidated = self.refresh_soon

    # -- hot answers are recomputed once per burst of writes, in the background -------------

    def _heat(self, key: str) -> int:
        return self._hits.get(key, 0) + self._hits_before.get(key, 0)

    def _served_now(self, key: str) -> None:
        if self._clock() >= self._window_ends or len(self._hits) > self.local.max_entries:
            self._next_window()
        self._hits[key] = self._hits.get(key, 0) + 1

    def _next_window(self) -> None:
        ended = self._clock() >= self._window_ends + HOT_WINDOW  # a whole window went by
        self._hits_before, self._hits = ({} if ended else self._hits), {}
        self._window_ends = self._clock() + HOT_WINDOW

    def hot(self, tags: frozenset[str]) -> list[str]:
        """The keys of the hottest answers depending on ``tags`` that can be asked for again."""
        if self._clock() >= self._window_ends:
            self._next_window()
        heat = {key: self._heat(key) for key in self._hits.keys() | self._hits_before.keys()}
        found = []
        budget = HOT_BUDGET
        for key in sorted(heat, key=heat.__getitem__, reverse=True):
            if heat[key] < HOT_HITS or len(found) == HOT_LIMIT:
                break
            recipe = self._recipes.get(key)
            if recipe is not None and recipe.cost <= budget and tags.intersection(recipe.plan.tags):
                found.append(key)
                budget -= recipe.cost
        return found

    def refresh_soon(self, tags: frozenset[str]) -> None:
        """Writes touching ``tags`` committed: recompute the hot answers depending on them
        in the background, each by a run that starts after this call (so after the
        commits). A burst of writes shares runs: while one is under way, every write
        asks for the same next one. A run is a request's way to the answer: the shared
        tier first (so of several instances, one computes), then the key's flight, which
        the readers arriving meanwhile share (:meth:`answer`)."""
        for key in self.hot(tags):
            run = self._refreshes.get(key)
            if run is None:
                run = self._refreshes[key] = AfterCall(partial(self._refresh, key))
            run.soon()
        for key in [key for key, run in self._refreshes.items() if run.idle]:
            del self._refreshes[key]

    def stop_refreshing(self) -> None:
        for run in self._refreshes.values():
            run.cancel()
        self._refreshes.clear()

    async def _refresh(self, key: str) -> None:
        """Make ``key`` fresh as a request would (shared tier, single flight), without
        counting it as served: answers nobody reads cool down even while writes go on."""
        recipe = self._recipes.get(key)
        if recipe is None:
            return
        entry = self.local.peek(key)
        if entry is not None and self.freshness.fresh_here(recipe.plan.tags, entry.stamp):
            return  # a reader made it fresh already
        try:
            await self.answer(key, recipe.plan, recipe.compute, served=False)
        except Exception:
            log.exception("recomputing a cached answer after a write failed; it is dropped")

    def ttl(self, plan: Plan) -> float:
        return min(self.ttls[field] for field in plan.fields)

    @staticmethod
    def key(plan: Plan, variables: object, visibility: str, today: str) -> str:
        """Document, operation, variables (sorted), the caller's visibility and the
        business-local day (a cached TODAY never outlives its day)."""
        parts = orjson.dumps(
            [plan.digest, variables, visibility, today], option=orjson.OPT_SORT_KEYS
        )
        return hashlib.blake2b(parts, digest_size=16).hexdigest()

    async def warm(self, key: str, plan: Plan, compute: Compute, *, serving: bool) -> Warmth:
        """Make the next request for ``key`` a hit unless it already is, without serving it
        or counting it as served (the cache-warm job).

        ``serving``: this process answers requests, so its in-process tier counts, and an
        answer found only in Redis is brought into it; otherwise (a worker) only the shared
        tier does, and without one nothing can be warmed (UNSTORED)."""
        if serving:
            entry = self.local.peek(key)
            if entry is not None and (
                self.freshness.fresh_here(plan.tags, entry.stamp)
                or await self.freshness.fresh(plan.tags, entry.stamp)
            ):
                return Warmth.WARM
            answer = await self.answer(key, plan, compute, served=False)
            if answer.source != "MISS":
                return Warmth.WARM
            return Warmth.WARMED if answer.entry is not None else Warmth.UNSTORED
        if self.remote is None:
            return Warmth.UNSTORED
        stamp = await self.freshness.stamp(plan.tags)
        if await self.remote.lookup(key, stamp.data_version) is not None:
            return Warmth.WARM
        self.computations += 1
        computed = await _computed(compute, stamp.data_version)
        if not computed.storable:
            return Warmth.UNSTORED
        await self.remote.store(key, stamp.data_version, computed.body, self.ttl(plan))
        return Warmth.WARMED

    async def answer(
        self,
        key: str,
        plan: Plan,
        compute: Compute,
        *,
        refresh: bool = False,
        served: bool = True,
    ) -> Answer:
        """The answer for ``key``; ``refresh`` computes it anew (and stores it) regardless.
        ``served``: for a request, whose demand heats the answer up (:data:`HOT_HITS`);
        not for the cache's own recomputations and warm-ups."""
        tags = plan.tags
        if refresh:
            return await self._fill(key, plan, compute, refresh=True)
        hit = await self.hit(key, plan, served=served)
        if hit is not None:
            if key not in self._recipes:  # forgotten meanwhile: it can be redone with this one
                self._remember(key, Recipe(plan, compute, 0.0))
            return hit
        flight = self._flights.get(key)
        while flight is not None:
            if await self._joinable(tags, flight):
                shared = await asyncio.shield(flight.answer)
                if served:
                    self._served_now(key)
                return shared
            # Begun before a write this request must show; one begun since may be under way.
            later = self._flights.get(key)
            flight = later if later is not flight else None
        loop = asyncio.get_running_loop()
        flight = self._flights[key] = Flight(loop.create_future(), loop.create_future())
        try:
            result = await self._fill(key, plan, compute, flight=flight)
        except BaseException as exc:
            for future in (flight.stamp, flight.answer):
                if not future.done():
                    future.set_exception(exc)
                    future.exception()  # retrieved: waiters re-raise it, nobody else must
            raise
        finally:
            if self._flights.get(key) is flight:
                del self._flights[key]
        flight.answer.set_result(result)
        if served and result.source != "MISS":
            self._served_now(key)  # another instance computed it
        return result

    async def hit(self, key: str, plan: Plan, *, served: bool = True) -> Answer | None:
        """The in-process answer for ``key`` while it is fresh, counted as ``served``; None
        otherwise (a stale one is dropped). Only :meth:`answer` goes further."""
        entry = self.local.get(key)
        if entry is None:
            return None
        if self.freshness.fresh_here(plan.tags, entry.stamp) or await self.freshness.fresh(
            plan.tags, entry.stamp
        ):
            if served:
                self._served_now(key)
            return Answer(Computed(200, JSON_HEADERS, entry.body), "HIT-L1", entry)
        self.local.reject(key)
        return None

    async def _joinable(self, tags: tuple[str, ...], flight: Flight) -> bool:
        """May a request share ``flight``? Only while no write that touches ``tags`` has
        committed since the flight took its stamp: a request that arrives after a write's
        response must not get an answer whose computation may have started before it."""
        await asyncio.wait((flight.stamp,))
        if flight.stamp.cancelled() or flight.stamp.exception() is not None:
            return False
        stamp = flight.stamp.result()
        return self.freshness.fresh_here(tags, stamp) or await self.freshness.fresh(tags, stamp)

    async def _fill(
        self,
        key: str,
        plan: Plan,
        compute: Compute,
        *,
        refresh: bool = False,
        flight: Flight | None = None,
    ) -> Answer:
        ttl = self.ttl(plan)
        stamp = await self.freshness.stamp(plan.tags)
        if flight is not None:
            flight.stamp.set_result(stamp)
        locked = False
        if self.remote is not None and not refresh:
            body, locked = await self.remote.claim(key, stamp.data_version, LOCK_TTL_MS)
            if body is None and not locked:
                body = await self._await_other(key, stamp.data_version)
            if body is not None:
                known = self._recipes.get(key)
                self._remember(key, Recipe(plan, compute, known.cost if known else 0.0))
                entry = self.local.put(key, body, ttl, stamp, plan.tags)
                return Answer(Computed(200, JSON_HEADERS, body), "HIT-L2", entry)
        try:
            self.computations += 1
            started = self._clock()
            computed = await _computed(compute, stamp.data_version)
            cost = self._clock() - started
            entry = None
            if computed.storable:
                self._remember(key, Recipe(plan, compute, cost))
                if self.freshness.unchanged(plan.tags, stamp):
                    entry = self.local.put(key, computed.body, ttl, stamp, plan.tags)
                if self.remote is not None:
                    stored = await self.remote.store(
                        key, stamp.data_version, computed.body, ttl, unlock=locked
                    )
                    locked = locked and not stored
        finally:
            if locked:
                assert self.remote is not None
                await self.remote.unlock(key)
        return Answer(computed, "MISS", entry)

    def _remember(self, key: str, recipe: Recipe) -> None:
        self._recipes.pop(key, None)
        self._recipes[key] = recipe
        if len(self._recipes) > self.local.max_entries:
            del self._recipes[next(iter(self._recipes))]

    async def _await_other(self, key: str, data_version: int) -> bytes | None:
        """Another instance computes this answer: wait for it in the shared tier, while
        that instance holds the lock. An answer it stores from before ``data_version``
        (its computation began before a write this one must show) is not taken: once the
        lock is released without a fresh enough answer, this instance computes."""
        assert self.remote is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOCK_WAIT
        lock = self.remote.lock_key(key)
        while loop.time() < deadline and self.remote.breaker.closed:
            await asyncio.sleep(LOCK_POLL)
            body, held = await self.remote.poll(key, data_version, lock)
            if body is not None or not held:
                return body
        return None
