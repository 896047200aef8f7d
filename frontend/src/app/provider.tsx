import { useMemo, useSyncExternalStore, type ReactNode } from "react";
import { Provider as UrqlProvider } from "urql";

import { SessionProvider } from "@/features/auth/components/SessionProvider";
import { createGraphqlClient } from "@/lib/graphql-client";
import { getSession, identityOf, onSessionChange } from "@/lib/session";

export function AppProvider({ children }: { children: ReactNode }) {
  // One client, so one document cache, per signed-in user: after a sign-out or a change of
  // user nothing fetched for the previous one is shown. A renewed token keeps the client.
  const identity = useSyncExternalStore(onSessionChange, () => identityOf(getSession()));
  const client = useMemo(() => createGraphqlClient(), [identity]);
  return (
    <UrqlProvider value={client}>
      <SessionProvider>{children}</SessionProvider>
    </UrqlProvider>
  );
}
