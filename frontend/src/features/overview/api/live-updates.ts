import { useEffect, useRef, useState } from "react";
import { useSubscription } from "urql";

import { graphql } from "@/gql";
import type { Period } from "@/gql/graphql";
import { socket } from "@/lib/graphql-client";

// The server pushes metricsUpdated once on subscribing, then after every burst of order
// writes anywhere (whatever period was asked for), once its caches have been invalidated.
// Only the signal is used here: the page reads its numbers again in its own query.
const OverviewLiveDocument = graphql(`
  subscription OverviewLive($period: Period!) {
    metricsUpdated(period: $period) {
      dataAsOf
    }
  }
`);

export type LiveState = "connecting" | "live" | "reconnecting" | "off";

export interface LiveStatus {
  state: LiveState;
  /** Why live updates are off. */
  detail?: string;
}

interface Pushes {
  period: Period;
  count: number;
}

/** A normal closure (1000) is the client letting go of an idle socket, not an outage. */
const NORMAL_CLOSURE = 1000;

function closeCode(event: unknown): number | undefined {
  return typeof event === "object" && event !== null && "code" in event
    ? Number((event as { code: unknown }).code)
    : undefined;
}

/**
 * Calls ``refresh`` after each push but the first (which only says the subscription is
 * up), including the first push after a reconnect, so changes made while the socket was
 * down show too. A custom range has no live period of its own: today's pushes still say
 * that orders changed.
 */
export function useLiveUpdates(period: Period, refresh: () => void): LiveStatus {
  const livePeriod: Period = period === "CUSTOM" ? "TODAY" : period;
  const [result] = useSubscription(
    { query: OverviewLiveDocument, variables: { period: livePeriod } },
    (previous: Pushes | undefined): Pushes => ({
      period: livePeriod,
      count: previous?.period === livePeriod ? previous.count + 1 : 1,
    }),
  );

  const latestRefresh = useRef(refresh);
  useEffect(() => {
    latestRefresh.current = refresh;
  }, [refresh]);
  const pushes = result.data;
  useEffect(() => {
    if (pushes && pushes.count > 1) latestRefresh.current();
  }, [pushes]);

  const [socketUp, setSocketUp] = useState<boolean | null>(null);
  useEffect(() => {
    const offs = [
      socket.on("connected", () => setSocketUp(true)),
      socket.on("closed", (event) => {
        if (closeCode(event) !== NORMAL_CLOSURE) setSocketUp(false);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  if (result.error) return { state: "off", detail: result.error.message };
  if (socketUp === false) return { state: "reconnecting" };
  if (socketUp || pushes) return { state: "live" };
  return { state: "connecting" };
}
