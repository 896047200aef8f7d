// The signed-in user's session. The access token lives only in memory (never in storage a
// script could read); the refresh token is the server's httpOnly cookie, so a reload or a
// new tab signs in again silently through POST /api/v1/auth/refresh.

export type Role = "admin" | "analyst" | "viewer";

export interface Session {
  email: string;
  role: Role;
  accessToken: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

interface TokenAnswer {
  access_token: string;
  expires_in: number;
  email: string;
  role: Role;
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

let current: Session | null = null;
const listeners = new Set<(session: Session | null) => void>();

export function getSession(): Session | null {
  return current;
}

function setSession(next: Session | null): Session | null {
  current = next;
  for (const listener of listeners) listener(next);
  return next;
}

/** Hear about sign-in, refresh and sign-out; returns the unsubscribe function. */
export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The token is past, or within a minute of, its expiry. */
export function isExpiring(session: Session, now = Date.now()): boolean {
  return session.expiresAt - now < 60_000;
}

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(`/api/v1/auth/${path}`, {
    method: "POST",
    credentials: "same-origin",
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function detail(response: Response): Promise<string> {
  try {
    const payload = (await response.json()) as { detail?: unknown };
    if (typeof payload.detail === "string") return payload.detail;
  } catch {
    // not JSON: fall through to the status line
  }
  return `${response.status} ${response.statusText}`.trim();
}

function fromAnswer(answer: TokenAnswer): Session {
  return {
    email: answer.email,
    role: answer.role,
    accessToken: answer.access_token,
    expiresAt: Date.now() + answer.expires_in * 1000,
  };
}

/** Sign in; throws AuthError with the server's reason (wrong password, too many tries). */
export async function login(email: string, password: string): Promise<Session> {
  const response = await post("login", { email, password });
  if (!response.ok) throw new AuthError(await detail(response), response.status);
  return setSession(fromAnswer((await response.json()) as TokenAnswer)) as Session;
}

let refreshing: Promise<Session | null> | null = null;

/** A new access token from the refresh cookie, or null (and signed out) without one. */
export function refreshSession(): Promise<Session | null> {
  // Concurrent callers share one refresh: the cookie rotates on every use.
  refreshing ??= (async () => {
    try {
      const response = await post("refresh");
      if (!response.ok) return setSession(null);
      return setSession(fromAnswer((await response.json()) as TokenAnswer));
    } catch {
      return setSession(null);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function logout(): Promise<void> {
  try {
    await post("logout");
  } finally {
    setSession(null);
  }
}
