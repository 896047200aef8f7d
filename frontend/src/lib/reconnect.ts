// How long the subscriptions' socket waits before its next connection attempt. graphql-ws's
// own backoff doubles without a cap (2^n s: over an hour by the 12th attempt), so after a
// long outage the live numbers would come back long after the server did.

/** The longest wait between two attempts. */
export const MAX_RECONNECT_WAIT_MS = 10_000;
const FIRST_WAIT_MS = 1_000;

/**
 * The wait before attempt ``retries`` (0 after the first drop): doubling from 1 s up to
 * 10 s, each wait drawn between half of that and all of it, so the dashboards a server
 * restart dropped do not all come back in the same instant.
 */
export function reconnectDelay(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RECONNECT_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, retries));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** graphql-ws's retryWait: resolves after reconnectDelay(retries). */
export function waitToReconnect(retries: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries)));
}
