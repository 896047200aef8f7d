import { createContext, useContext } from "react";

import type { Permission } from "@/gql/graphql";
import type { Role } from "@/lib/session";

/**
 * loading: not known yet (first visit, or a sign-in or sign-out being checked);
 * signed-in: a user's token; anonymous: no token, and the server answers reads without;
 * signed-out: no token, and the server needs one.
 */
export type SessionStatus = "loading" | "signed-in" | "anonymous" | "signed-out";

export interface SessionState {
  status: SessionStatus;
  /** The signed-in user's email; null otherwise. */
  email: string | null;
  role: Role | null;
  /** What the caller may do, as the API's `me` says (a page asks only for what it may read). */
  permissions: readonly Permission[];
  can: (permission: Permission) => boolean;
  isAdmin: boolean;
  /** The shop's name; null while loading. */
  shopName: string | null;
  /** Whether the server answers reads without a sign-in. */
  anonymousReads: boolean;
  /** Sign out on the server and here; the caller then goes to /login. */
  signOut: () => Promise<void>;
}

export interface SessionFacts {
  status: SessionStatus;
  email?: string | null;
  role?: Role | null;
  permissions?: readonly Permission[];
  shopName?: string | null;
  anonymousReads?: boolean;
  signOut?: () => Promise<void>;
}

/** The full state from its facts (also how a test gives a page a session). */
export function sessionState(facts: SessionFacts): SessionState {
  const permissions = facts.permissions ?? [];
  const role = facts.role ?? null;
  return {
    status: facts.status,
    email: facts.email ?? null,
    role,
    permissions,
    can: (permission) => permissions.includes(permission),
    isAdmin: role === "admin",
    shopName: facts.shopName ?? null,
    anonymousReads: facts.anonymousReads ?? false,
    signOut: facts.signOut ?? (async () => undefined),
  };
}

export const SessionContext = createContext<SessionState | null>(null);

/** Who is using the dashboard and what they may do (features/auth's SessionProvider). */
export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() needs the SessionProvider (app/provider.tsx) above it");
  return session;
}
