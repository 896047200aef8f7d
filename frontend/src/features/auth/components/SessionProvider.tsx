import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";

import { ErrorState } from "@/components/ui/ErrorState";
import type { Role as ApiRole } from "@/gql/graphql";
import { SessionContext, sessionState, type SessionState } from "@/hooks/use-session";
import {
  getSession,
  identityOf,
  logout,
  onSessionChange,
  resumeSession,
  type Role,
  type Session,
} from "@/lib/session";

import { useSessionFacts, type SessionFactsResult } from "../api/get-session-facts";

const ROLES: Record<ApiRole, Role> = { ADMIN: "admin", ANALYST: "analyst", VIEWER: "viewer" };

const signOut = () => logout();

/** Who is using the dashboard (see useSession): a silent sign-in from the refresh cookie
 * first, then the API's word on the shop and the caller, again after every sign-in or out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(onSessionChange, getSession);
  const booted = useSilentSignIn();
  const [facts, retry] = useSessionFacts(identityOf(session), booted);
  const value = useMemo(
    () => (booted ? stateOf(session, facts) : sessionState({ status: "loading" })),
    [booted, session, facts],
  );

  if (facts && !facts.data) {
    return (
      <main className="main">
        <ErrorState
          title="The dashboard could not reach the API"
          detail={facts.error?.message ?? "no answer"}
          advice="Check that the server is running (make run), then try again."
          onRetry={retry}
        />
      </main>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** Once, on start: a new token from the refresh cookie if there is one. True when done. */
function useSilentSignIn(): boolean {
  const [done, setDone] = useState(() => getSession() !== null);
  useEffect(() => {
    if (done) return undefined;
    let live = true;
    void resumeSession().then(() => {
      if (live) setDone(true);
    });
    return () => {
      live = false;
    };
  }, [done]);
  return done;
}

function stateOf(session: Session | null, facts: SessionFactsResult | null): SessionState {
  if (!facts?.data) return sessionState({ status: "loading" });
  const { shopInfo, me } = facts.data;
  const shared = {
    shopName: shopInfo.name,
    anonymousReads: shopInfo.anonymousReads,
    permissions: me.permissions,
    signOut,
  };
  if (me.role && session) {
    const email = me.email ?? session.email;
    return sessionState({ ...shared, status: "signed-in", email, role: ROLES[me.role] });
  }
  return sessionState({ ...shared, status: shopInfo.anonymousReads ? "anonymous" : "signed-out" });
}
