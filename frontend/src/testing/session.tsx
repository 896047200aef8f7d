// Sessions for page tests: the anonymous demo (anonymous reads on, so every read) and a
// signed-in user of each role, as the API's `me` gives their permissions.
import type { ReactNode } from "react";

import { SessionContext, sessionState, type SessionState } from "@/hooks/use-session";

export const SESSIONS = {
  anonymousReader: sessionState({
    status: "anonymous",
    anonymousReads: true,
    permissions: ["DASHBOARD_READ", "ANALYTICS_READ"],
  }),
  viewer: sessionState({
    status: "signed-in",
    email: "vic@shop.test",
    role: "viewer",
    permissions: ["DASHBOARD_READ"],
  }),
  analyst: sessionState({
    status: "signed-in",
    email: "ana@shop.test",
    role: "analyst",
    permissions: ["DASHBOARD_READ", "ANALYTICS_READ"],
  }),
  admin: sessionState({
    status: "signed-in",
    email: "ada@shop.test",
    role: "admin",
    permissions: ["DASHBOARD_READ", "ANALYTICS_READ", "WRITE"],
  }),
} satisfies Record<string, SessionState>;

export function WithSession({
  session = SESSIONS.anonymousReader,
  children,
}: {
  session?: SessionState;
  children: ReactNode;
}) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
