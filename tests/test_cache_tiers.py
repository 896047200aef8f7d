"""Pure parts of the cache: the in-process tier, the shared write-counter reads, freshness."""

from __future__ import annotations

import asyncio

from shopx.cache.changes import Changes
from shopx.cache.coalesce import AfterCall
from shopx.cache.freshness import LEASE, Freshness
from shopx.cache.local import LocalTier


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_ttl():
    clock = Clock()
    tier = LocalTier(max_entries=10, max_bytes=10_000, clock=clock)
    tier.put("a", b"answer", ttl=60, stamp=None)
    clock.now += 59.9
    assert tier.get("a").body == b"answer"
    clock.now += 0.1
    assert tier.get("a") is None
    assert (tier.stats.hits, tier.stats.misses, len(tier)) == (1, 1, 0)


def test_least_recently_used_go_first_at_the_entry_cap():
    tier = LocalTier(max_entries=2, max_bytes=10_000)
    tier.put("a", b"1", 60, None)
    tier.put("b", b"2", 60, None)
    tier.get("a")
    tier.put("c", b"3", 60, None)
    assert (tier.get("a") is not None, tier.get("b"), tier.get("c") is not None) == (
        True,
        None,
        True,
    )
    assert tier.stats.evictions == 1


def test_the_memory_cap_holds_and_oversized_answers_are_not_kept():
    tier = LocalTier(max_entries=100, max_bytes=1_000)
    for n in range(10):
        tier.put(str(n), b"x" * 200, 60, None)
    assert tier.bytes <= 1_000 and len(tier) == 2
    tier.put("big", b"x" * 2_000, 60, None)
    assert tier.get("big") is None
    assert tier.bytes == sum(entry.size for entry in tier._entries.values())


def test_a_rejected_entry_counts_as_a_miss():
    tier = LocalTier(max_entries=10, max_bytes=10_000)
    tier.put("a", b"1", 60, None)
    assert tier.get("a") is not None
    tier.reject("a")
    assert (tier.stats.hits, tier.stats.misses, len(tier)) == (0, 1, 0)


async def test_the_write_counter_is_shared_only_with_requests_that_came_before_a_read():
    started: list[int] = []
    release = [asyncio.Event() for _ in range(3)]

    async def read() -> int:
        started.append(len(started))
        await release[started[-1]].wait()
        return started[-1]

    counter = AfterCall(read)
    early = [asyncio.create_task(counter.result()) for _ in range(5)]
    while not started:
        await asyncio.sleep(0)
    late = asyncio.create_task(counter.result())
    await asyncio.sleep(0)
    release[0].set()
    assert await asyncio.gather(*early) == [0] * 5
    while len(started) < 2:
        await asyncio.sleep(0)
    assert not late.done()  # it arrived during read 0, so it needs read 1
    release[1].set()
    assert await late == 1
    assert started == [0, 1]


async def test_without_a_lease_entries_are_checked_against_the_write_counter():
    counter = {"value": 7}

    async def data_version() -> int:
        return counter["value"]

    clock = Clock()
    freshness = Freshness(Changes(), data_version, clock=clock)
    tags = ("orders", "products")
    stamp = await freshness.stamp(tags)
    assert await freshness.fresh(tags, stamp)
    counter["value"] = 8  # a write somewhere we cannot hear
    assert not await freshness.fresh(tags, stamp)


def beat(of: Freshness, sent: float) -> dict[str, object]:
    """A heartbeat of ``of`` sent at ``sent`` (its wall clock and its monotonic clock)."""
    return {"beat": of.instance, "wall": sent, "clock": sent}


async def test_with_a_lease_invalidations_decide_and_a_gap_drops_everything():
    async def data_version() -> int:
        return 1

    clock = Clock()
    changes = Changes()
    freshness = Freshness(changes, data_version, clock=clock, wall=clock)
    assert not freshness.has_lease()  # listening is not enough: it must hear its own beat
    freshness.heard_beat(beat(freshness, clock.now))
    tags = ("orders",)
    stamp = await freshness.stamp(tags)
    assert freshness.has_lease() and await freshness.fresh(tags, stamp)
    async with changes.listen() as heard:
        freshness.apply({"products"}, source="remote")
        assert await freshness.fresh(tags, stamp)  # other tags do not matter
        freshness.apply({"orders"}, source="remote")
        assert not await freshness.fresh(tags, stamp)
        assert [heard.get_nowait(), heard.get_nowait()] == [
            frozenset({"products"}),
            frozenset({"orders"}),
        ]
    stamp = await freshness.stamp(tags)
    clock.now += LEASE
    assert not freshness.has_lease()
    freshness.heard_beat(beat(freshness, clock.now))  # after a silence: it may have missed some
    assert freshness.has_lease() and not freshness.unchanged(tags, stamp)


def test_a_failing_redis_is_logged_once_per_interval_and_tried_again_later(caplog, monkeypatch):
    from shopx.cache import remote

    moments = iter([10.0, 10.5, 11.2, 12.0, 25.0])
    monkeypatch.setattr(remote.time, "monotonic", lambda: next(moments))
    breaker = remote.Breaker("Redis cache tier")
    with caplog.at_level("WARNING", logger="shopx.cache"):
        breaker.failed(ConnectionError("refused"))  # at 10.0: logged, open until 11.0
        assert not breaker.closed  # at 10.5
        assert breaker.closed  # at 11.2: try again
        breaker.failed(ConnectionError("refused"))  # at 12.0: not logged again so soon
        breaker.failed(ConnectionError("refused"))  # at 25.0: 15 s later, logged again
    assert [record.getMessage() for record in caplog.records] == [
        "Redis cache tier unavailable (ConnectionError: refused); going on without it"
    ] * 2
    assert breaker.failures == 3


async def _never_called():
    raise AssertionError("a recipe of this test was used")


def test_only_answers_served_often_lately_are_recomputed_after_writes():
    from shopx.cache.documents import Plan, TtlClass
    from shopx.cache.responses import Recipe, ResponseCache

    async def data_version() -> int:
        return 1

    clock = Clock()
    local = LocalTier(max_entries=10, max_bytes=10_000, clock=clock)
    ttls = dict.fromkeys(TtlClass, 600.0)
    cache = ResponseCache(local, Freshness(Changes(), data_version, clock=clock), ttls, clock=clock)
    costs = {"dashboard": 0.08, "one-customer": 0.01, "year": 1.5, "from-redis": 0.0}
    plan = Plan("digest", "Dashboard", (TtlClass.REALTIME,), ("customers", "orders"))
    for key, cost in costs.items():
        cache._remember(key, Recipe(plan, _never_called, cost))
    for key in ("dashboard", "year", "from-redis"):
        for _ in range(3):
            cache._served_now(key)
    cache._served_now("one-customer")
    # Too expensive to recompute on every burst: the year. From Redis (cost unknown): cheap.
    assert set(cache.hot(frozenset({"orders"}))) == {"dashboard", "from-redis"}
    assert cache.hot(frozenset({"reps"})) == []
    clock.now += 30  # three windows later it has cooled down
    assert cache.hot(frozenset({"orders"})) == []


async def test_callers_of_a_cancelled_run_are_not_left_waiting():
    started = asyncio.Event()

    async def stuck() -> int:
        started.set()
        await asyncio.Event().wait()  # never set: only cancelling ends it
        return 0

    shared = AfterCall(stuck)
    first = asyncio.create_task(shared.result())
    await started.wait()
    second = asyncio.create_task(shared.result())  # waits for the next run
    await asyncio.sleep(0)
    assert shared._task is not None
    shared._task.cancel()
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert [type(result) for result in results] == [asyncio.CancelledError] * 2
    assert shared.idle


async def test_a_request_after_a_write_does_not_share_a_computation_begun_before_it():
    """A miss arriving while one is computed shares it, unless a write touching the answer
    committed since that computation began: then it computes again (found by a crowd of
    writers and readers on SQLite: one order behind, once in six reads)."""
    from shopx.cache.documents import Plan, TtlClass
    from shopx.cache.responses import Computed, ResponseCache

    counter = {"value": 1}

    async def data_version() -> int:
        return counter["value"]

    clock = Clock()
    local = LocalTier(max_entries=10, max_bytes=10_000, clock=clock)
    freshness = Freshness(Changes(), data_version, clock=clock)
    cache = ResponseCache(local, freshness, dict.fromkeys(TtlClass, 600.0), clock=clock)
    plan = Plan("digest", "op", (TtlClass.OVERVIEW,), ("orders",))
    release = asyncio.Event()
    runs: list[int] = []

    async def compute() -> Computed:
        seen = counter["value"]
        runs.append(seen)
        if len(runs) == 1:
            await release.wait()
        return Computed(200, (), b'{"data": {"orders": %d}}' % seen)

    first = asyncio.create_task(cache.answer("key", plan, compute))
    while not runs:
        await asyncio.sleep(0)
    before_write = asyncio.create_task(cache.answer("key", plan, compute))
    for _ in range(5):  # it checks the flight and waits for its answer
        await asyncio.sleep(0)
    counter["value"] = 2  # a write commits...
    freshness.apply({"orders"})  # ...and is published before its response leaves
    after_write = asyncio.create_task(cache.answer("key", plan, compute))
    for _ in range(5):
        await asyncio.sleep(0)
    release.set()
    assert (await first).computed.body == b'{"data": {"orders": 1}}'
    assert (await before_write).computed.body == b'{"data": {"orders": 1}}'
    assert (await after_write).computed.body == b'{"data": {"orders": 2}}'
    assert runs == [1, 2]


class _Gated:
    """An answer's computation that waits for ``gate`` and counts its runs."""

    def __init__(self, gate: asyncio.Event) -> None:
        self.gate, self.runs = gate, 0

    async def __call__(self):
        from shopx.cache.responses import JSON_HEADERS, Computed

        self.runs += 1
        await self.gate.wait()
        return Computed(200, JSON_HEADERS, b'{"data": {"runs": %d}}' % self.runs)


def _gated_cache():
    """A response cache without Redis, a dashboard's plan, and a gated computation."""
    from shopx.cache.documents import Plan, TtlClass
    from shopx.cache.responses import ResponseCache

    async def data_version() -> int:
        return 1

    freshness = Freshness(Changes(), data_version)
    cache = ResponseCache(
        LocalTier(max_entries=10, max_bytes=10_000), freshness, dict.fromkeys(TtlClass, 600.0)
    )
    plan = Plan("digest", "Dashboard", (TtlClass.OVERVIEW,), ("orders",))
    gate = asyncio.Event()
    return freshness, cache, plan, gate, _Gated(gate)


async def test_a_burst_of_writes_recomputes_a_hot_answer_once_after_the_run_under_way():
    """Writes do not wait for the hot answers they invalidate: each instance recomputes them
    in the background, and the writes that commit while a run is under way share the next
    run, so a burst costs two computations, not one per write. Reads arriving meanwhile
    share the run too."""
    freshness, cache, plan, gate, compute = _gated_cache()

    gate.set()
    assert (await cache.answer("k", plan, compute)).source == "MISS"
    for _ in range(3):
        assert (await cache.answer("k", plan, compute)).source == "HIT-L1"
    gate.clear()

    freshness.apply({"orders"})  # a write commits: the run starts in the background
    await asyncio.sleep(0)
    for _ in range(5):  # five more writes while it computes
        freshness.apply({"orders"})
    reader = asyncio.ensure_future(cache.answer("k", plan, compute))
    await asyncio.sleep(0)
    gate.set()
    answer = await reader

    while any(not run.idle for run in cache._refreshes.values()):
        await asyncio.sleep(0)
    assert compute.runs == 3  # the first answer, the run under way, and one after it for the five
    assert answer.computed.body == b'{"data": {"runs": 3}}'  # it waited for the last run
    assert (await cache.answer("k", plan, compute)).source == "HIT-L1"


async def test_a_hot_answer_is_recomputed_after_writes_though_none_of_its_answers_was_kept():
    """Under a storm of writes one commits during nearly every computation, so no answer is
    stored and no reader hits. The readers that share each computation still make the
    answer hot, and it is still recomputed in the background after the next write (it was
    not: its readers each waited for a computation of their own, the README's Writes)."""
    freshness, cache, plan, gate, compute = _gated_cache()

    readers = [asyncio.ensure_future(cache.answer("k", plan, compute)) for _ in range(4)]
    for _ in range(10):  # the first computes, the three others join its computation
        await asyncio.sleep(0)
    freshness.apply({"orders"})  # a write commits meanwhile: this answer cannot be kept
    gate.set()
    answers = await asyncio.gather(*readers)
    assert compute.runs == 1 and {answer.source for answer in answers} == {"MISS"}
    assert cache.local.peek("k") is None

    freshness.apply({"orders"})  # the next write: its readers need not wait for a computation
    while any(not run.idle for run in cache._refreshes.values()):
        await asyncio.sleep(0)
    assert compute.runs == 2
    assert (await cache.answer("k", plan, compute)).source == "HIT-L1"


async def test_an_instance_waiting_for_another_takes_a_later_answer_and_stops_at_its_release(
    monkeypatch,
):
    """Of instances missing one key, one computes under a Redis lock while the others
    wait for its answer. A waiter takes an answer computed at its data version or later,
    and stops waiting once the lock is released without one (a computation begun before a
    write the waiter must show): it computes itself at once, not after LOCK_WAIT."""
    from shopx.cache import responses

    tier = _redis_tier()
    monkeypatch.setattr(responses, "LOCK_WAIT", 3600.0)  # only the release can end the wait
    cache = _shared_cache(tier)
    try:
        lock = tier.lock_key("k")
        await tier.redis.set(lock, b"1", px=5_000)  # another instance computes "k"
        await tier.store("k", 6, b'{"later": true}', 60)
        assert await cache._await_other("k", 5) == b'{"later": true}'

        await tier.store("k", 4, b'{"older": true}', 60)  # begun before the write at 5
        waiting = asyncio.ensure_future(cache._await_other("k", 5))
        await asyncio.sleep(0.05)
        assert not waiting.done()  # the lock is held: its answer may still come
        await tier.redis.delete(lock)
        assert await asyncio.wait_for(waiting, 60) is None
    finally:
        await tier.redis.delete(tier.lock_key("k"), f"{tier.prefix}answer:k")
        await tier.redis.aclose()


async def test_a_shared_lookup_takes_the_compute_lock_in_the_same_round_trip_when_it_misses():
    """``claim`` answers with a stored answer computed at the reader's data version or later,
    else takes the key's compute lock if it is free (one script); the store that follows
    releases it. Counters are compared as numbers: 10 is later than 9."""
    tier = _redis_tier()
    lock = tier.lock_key("k")
    try:
        assert await tier.claim("k", 9, 5_000) == (None, True)  # nothing stored: locked
        assert await tier.redis.exists(lock)
        assert await tier.claim("k", 9, 5_000) == (None, False)  # another holds it
        await tier.store("k", 10, b'{"ten": true}', 60, unlock=True)
        assert not await tier.redis.exists(lock)
        assert await tier.claim("k", 9, 5_000) == (b'{"ten": true}', False)
        assert await tier.claim("k", 10, 5_000) == (b'{"ten": true}', False)
        assert not await tier.redis.exists(lock)  # an answer found takes no lock
        assert await tier.claim("k", 11, 5_000) == (None, True)  # behind the reader
        await tier.unlock("k")
        await tier.store("k", 9, b'{"nine": true}', 60)
        assert await tier.claim("k", 10, 5_000) == (None, True)
        assert (tier.stats.hits, tier.stats.misses) == (2, 4)
    finally:
        await tier.redis.delete(lock, f"{tier.prefix}answer:k")
        await tier.redis.aclose()


async def test_a_compute_lock_is_released_and_never_another_instances_whatever_the_breaker():
    """An instance whose breaker opens while it computes (another call of its process timed
    out) still releases the lock it took, or the other instances would wait for an answer
    never coming; one that claims while its breaker is open takes no lock, so it releases
    none (the one there is another instance's)."""
    from shopx.cache.documents import Plan, TtlClass
    from shopx.cache.responses import JSON_HEADERS, Computed

    tier = _redis_tier()
    cache = _shared_cache(tier)
    plan = Plan("digest", "op", (TtlClass.OVERVIEW,), ("orders",))

    async def compute() -> Computed:
        assert await tier.redis.exists(tier.lock_key("k"))  # taken by this instance's claim
        tier.breaker.failed(TimeoutError("another call of this process timed out"))
        return Computed(200, JSON_HEADERS, b'{"data": 1}')

    try:
        assert (await cache.answer("k", plan, compute)).source == "MISS"
        assert not await tier.redis.exists(tier.lock_key("k"))

        await tier.redis.set(tier.lock_key("j"), b"1", px=5_000)  # another instance computes j
        assert not tier.breaker.closed
        assert await tier.claim("j", 5, 5_000) == (None, False)
        assert await tier.redis.exists(tier.lock_key("j"))
    finally:
        await tier.redis.delete(tier.lock_key("k"), tier.lock_key("j"))
        await tier.redis.aclose()


def _redis_tier():
    """A shared tier in Redis under a namespace of its own (skipped without Redis)."""
    import uuid

    from shopx.cache import remote as redis_side
    from tests.services import REDIS_URL, need

    need("Redis", REDIS_URL)
    return redis_side.RedisTier(
        redis_side.client(REDIS_URL, 1000), redis_side.namespace(f"test-{uuid.uuid4().hex}")
    )


def _shared_cache(tier):
    """A response cache over ``tier``, its write counter at 5."""
    from shopx.cache.documents import TtlClass
    from shopx.cache.responses import ResponseCache

    async def data_version() -> int:
        return 5

    return ResponseCache(
        LocalTier(max_entries=10, max_bytes=10_000),
        Freshness(Changes(), data_version),
        dict.fromkeys(TtlClass, 600.0),
        tier,
    )
