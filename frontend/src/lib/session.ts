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

/** How long before its expiry a token is renewed (by the timer, or before a request). */
const RENEW_AHEAD_MS = 60_000;
/** How soon a renewal the server did not answer is tried again. */
const RETRY_MS = 15_000;

export class AuthError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when the server did not answer. */
    readonly status: number,
    /** Seconds to wait before trying again (429's Retry-After), or null. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

// The refresh cookie is httpOnly, so a script cannot see whether there is one: this hint
// says the browser signed in before (nothing secret: the cookie's own existence). Without
// it a first visit does not ask for a refresh that can only fail (and log a 401).
const HINT_KEY = "shopx.signed-in";

function hint(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(HINT_KEY, "1");
    else localStorage.removeItem(HINT_KEY);
  } catch {
    // storage disabled: resumeSession then always tries
  }
}

function hinted(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) !== null;
  } catch {
    return true;
  }
}

let current: Session | null = null;
let renewal: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(session: Session | null) => void>();

export function getSession(): Session | null {
  return current;
}

/** Who is signed in (email and role), "" for nobody: unlike the session, a renewed token
 * does not change it. */
export function identityOf(session: Session | null): string {
  return session ? `${session.email}\n${session.role}` : "";
}

/** ``signedIn`` records whether the server holds a session for this browser (see hint). */
function setSession(next: Session | null, signedIn = next !== null): Session | null {
  current = next;
  hint(signedIn);
  scheduleRenewal(next);
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
  return session.expiresAt - now < RENEW_AHEAD_MS;
}

// Renew a minute before expiry even when no query is running, so the subscriptions'
// WebSocket reconnects with a valid token (graphql-client.ts) before the server ends them.
// Never sooner than half the token's life, so a short-lived token cannot loop.
function scheduleRenewal(session: Session | null, delay?: number): void {
  clearTimeout(renewal);
  if (!session) return;
  const left = session.expiresAt - Date.now();
  renewal = setTimeout(
    () => void refreshSession(),
    delay ?? Math.max(left - RENEW_AHEAD_MS, left / 2),
  );
}

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(`/api/v1/auth/${path}`, {
    method: "POST",
    credentials: "same-origin",
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A refused REST request's error code and reason: the problem JSON's `error` (null
 * without one) and `detail`, else the status line. */
export async function problemOf(response: Response): Promise<{ code: string | null; detail: string }> {
  let payload: { error?: unknown; detail?: unknown } = {};
  try {
    payload = (await response.json()) as typeof payload;
  } catch {
    // not JSON: the status line says it
  }
  return {
    code: typeof payload.error === "string" ? payload.error : null,
    detail: typeof payload.detail === "string" ? payload.detail : `${response.status} ${response.statusText}`.trim(),
  };
}

/** A refused REST request's reason: the problem JSON's detail, else the status line. */
export async function problemDetail(response: Response): Promise<string> {
  return (await problemOf(response)).detail;
}

/** Retry-After in seconds (it may also be an HTTP date), or null without a usable one. */
function retryAfter(response: Response, now = Date.now()): number | null {
  const value = response.headers.get("Retry-After")?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
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
  let response: Response;
  try {
    response = await post("login", { email, password });
  } catch {
    throw new AuthError("the server did not answer", 0);
  }
  if (!response.ok) {
    throw new AuthError(await problemDetail(response), response.status, retryAfter(response));
  }
  return setSession(fromAnswer((await response.json()) as TokenAnswer)) as Session;
}

// Tabs share the refresh cookie, and the server rotates it on every use (a reused one
// revokes the whole family): a browser restoring several tabs at once must not send the
// same cookie twice, so the tabs take turns where the browser offers Web Locks.
async function oneTabAtATime<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator === "undefined" || !("locks" in navigator)) return task();
  return await navigator.locks.request("shopx-session-refresh", task);
}

let refreshing: Promise<Session | null> | null = null;

/** A new access token from the refresh cookie, or null (and signed out) without one. */
export function refreshSession(): Promise<Session | null> {
  // Concurrent callers share one refresh: the cookie rotates on every use.
  refreshing ??= oneTabAtATime(async () => {
    let response: Response;
    try {
      response = await post("refresh");
    } catch {
      // No answer (offline, server restarting): a token that is still good stays.
      if (current && current.expiresAt > Date.now()) {
        scheduleRenewal(current, RETRY_MS);
        return current;
      }
      return setSession(null, hinted());
    }
    try {
      if (!response.ok) return setSession(null);
      return setSession(fromAnswer((await response.json()) as TokenAnswer));
    } catch {
      return setSession(null);
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** On start: the session of the refresh cookie, if this browser signed in before. */
export function resumeSession(): Promise<Session | null> {
  return current || hinted() ? refreshSession() : Promise.resolve(null);
}

/** Sign out here and on the server; signed out locally even when the server does not answer. */
export async function logout(): Promise<void> {
  try {
    await post("logout");
  } catch {
    // the cookie may outlive this tab's session; the next sign-in replaces it
  } finally {
    setSession(null);
  }
}
