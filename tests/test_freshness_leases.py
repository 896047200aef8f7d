"""Whom a writer waits for: the instances whose lease may still rest on a heartbeat sent
before its invalidation, each at most until that lease has run out (a fake channel on a
fake clock: the waits are read off the clock, not measured)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from shopx.cache.changes import Changes
from shopx.cache.freshness import ACK_TIMEOUT, CLOCK_SKEW, HEARTBEAT, LEASE, Freshness
from tests.test_cache_tiers import Clock, beat


class Channel:
    """The writer's side of Redis: ``PUBLISH`` reports ``receivers``; ``BLPOP`` pops the
    acknowledgements queued in ``acks`` or, when there is none, lets its timeout pass."""

    def __init__(self, clock: Clock, receivers: int) -> None:
        self.clock = clock
        self.receivers = receivers
        self.acks: list[str] = []
        self.published: list[dict[str, Any]] = []

    async def publish(self, channel: str, data: bytes) -> int:
        self.published.append(orjson.loads(data))
        return self.receivers

    async def blpop(self, keys: list[str], timeout: float) -> tuple[bytes, bytes] | None:
        if self.acks:
            return keys[0].encode(), self.acks.pop(0).encode()
        self.clock.now += timeout
        return None


def counter_at(value: dict[str, int]):
    async def data_version() -> int:
        return value["n"]

    return data_version


def instance(clock: Clock, channel: Channel | None = None) -> Freshness:
    remote: Any = SimpleNamespace(prefix="test:")
    return Freshness(
        Changes(), counter_at({"n": 1}), remote=remote, blocking=channel, clock=clock, wall=clock
    )


def writer_hearing(
    clock: Clock, receivers: int, *beats: dict[str, object], listening: float = 2 * LEASE
) -> Freshness:
    """A writer subscribed ``listening`` seconds ago that heard ``beats``, its own first (so
    it holds a lease), and whose own listener acknowledges what it publishes."""
    channel = Channel(clock, receivers)
    writer = instance(clock, channel)
    clock.now -= listening
    writer.subscribed()
    clock.now += listening
    writer.heard_beat(beat(writer, clock.now))
    for heard in beats:
        writer.heard_beat(heard)
    channel.acks.append(writer.instance)
    return writer


WAITS = {
    "silent-for-a-lease-not-waited-for": (2, LEASE + CLOCK_SKEW, False, 2 * LEASE, 0.0),
    "silent-waited-for-until-its-lease-ends": (2, 0.3, False, 2 * LEASE, LEASE + CLOCK_SKEW - 0.3),
    "acknowledging-ends-the-wait": (2, 0.0, True, 2 * LEASE, 0.0),
    "left-the-channel-every-receiver-acked": (1, 0.0, False, 2 * LEASE, 0.0),
    # Beats sent before the writer subscribed went unheard and may still give a lease.
    "writer-just-subscribed-waits-for-receivers": (2, LEASE + CLOCK_SKEW, False, 0.5, ACK_TIMEOUT),
}


@pytest.mark.parametrize(
    ("receivers", "silent_for", "acknowledges", "listening", "waits"),
    list(WAITS.values()),
    ids=list(WAITS),
)
async def test_whom_a_writer_waits_for_and_how_long(
    receivers: int, silent_for: float, acknowledges: bool, listening: float, waits: float
):
    """Another instance, last heard beating ``silent_for`` seconds ago (it still counts as
    a receiver when ``receivers`` is 2: a hung instance's subscription stays open)."""
    clock = Clock()
    other = instance(clock)
    last_beat = beat(other, clock.now - silent_for)
    writer = writer_hearing(clock, receivers, last_beat, listening=listening)
    if acknowledges:
        writer._blocking.acks.append(other.instance)
    started = clock.now
    await writer.publish({"orders"})
    assert clock.now - started == pytest.approx(waits)


async def test_a_writer_that_does_not_hear_itself_waits_for_every_receiver():
    """Without its own listener's acknowledgement it cannot know which beats came before its
    message: it waits for as many acknowledgements as PUBLISH counted, up to ACK_TIMEOUT."""
    clock = Clock()
    channel = Channel(clock, 1)
    writer = instance(clock, channel)
    started = clock.now
    await writer.publish({"orders"})
    assert clock.now - started == pytest.approx(ACK_TIMEOUT)
    assert channel.published[0]["tags"] == ["orders"]


async def test_a_resumed_instance_checks_the_write_counter_until_it_hears_its_own_beat():
    clock = Clock()
    counter = {"n": 1}
    resumed = Freshness(Changes(), counter_at(counter), clock=clock, wall=clock)
    resumed.heard_beat(beat(resumed, clock.now))
    tags = ("orders",)
    stamp = await resumed.stamp(tags)
    assert resumed.fresh_here(tags, stamp)

    clock.now += 2 * LEASE  # stopped; meanwhile a write nobody waited for it to hear
    counter["n"] = 2
    assert not resumed.has_lease() and not await resumed.fresh(tags, stamp)
    resumed.heard_beat(beat(resumed, clock.now - 2 * LEASE))  # sent just before it stopped
    assert not resumed.has_lease()

    resumed.apply({"orders"}, source="remote")  # queued on its subscription before its beat
    resumed.heard_beat(beat(resumed, clock.now))
    assert resumed.has_lease() and not resumed.unchanged(tags, stamp)


async def test_a_lease_runs_from_the_send_time_of_the_beat_heard_back():
    clock = Clock()
    slow = instance(clock)
    slow.heard_beat(beat(slow, clock.now - LEASE + HEARTBEAT))  # heard late: a busy loop
    assert slow.has_lease()
    clock.now += HEARTBEAT
    assert not slow.has_lease()  # its writers stop waiting for it now, so it stops trusting
