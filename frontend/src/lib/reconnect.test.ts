import { afterEach, describe, expect, it, vi } from "vitest";

import { MAX_RECONNECT_WAIT_MS, reconnectDelay, waitToReconnect } from "./reconnect";

const lowest = () => 0;
const highest = () => 0.999999;

describe("reconnectDelay", () => {
  it("doubles from about a second", () => {
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, highest))).toEqual([1000, 2000, 4000, 8000]);
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, lowest))).toEqual([500, 1000, 2000, 4000]);
  });

  it("never waits more than 10 s, however long the outage", () => {
    for (const retries of [4, 5, 10, 100, 5000]) {
      expect(reconnectDelay(retries, highest)).toBe(MAX_RECONNECT_WAIT_MS);
      expect(reconnectDelay(retries, lowest)).toBe(MAX_RECONNECT_WAIT_MS / 2);
    }
  });

  it("spreads the waits of the clients one restart dropped", () => {
    const waits = new Set(Array.from({ length: 50 }, () => reconnectDelay(20)));
    expect(waits.size).toBeGreaterThan(10);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(5000);
      expect(wait).toBeLessThanOrEqual(10_000);
    }
  });
});

describe("waitToReconnect", () => {
  afterEach(() => vi.useRealTimers());

  it("resolves after the delay", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    let done = false;
    void waitToReconnect(30).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    vi.restoreAllMocks();
  });
});
