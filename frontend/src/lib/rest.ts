// REST calls with the session's bearer token (the GraphQL client attaches it itself): the
// token is renewed first when it is about to expire, and once more when the API refuses it
// as expired. Without a session nothing is attached (anonymous reads).
import { getSession, isExpiring, problemOf, refreshSession } from "./session";

/** The Authorization header of the current session, renewed first when it is expiring. */
export async function authorization(): Promise<Record<string, string>> {
  let session = getSession();
  if (session && isExpiring(session)) session = await refreshSession();
  return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
}

async function send(path: string, init: RequestInit): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string> | undefined), ...(await authorization()) };
  return fetch(path, { ...init, headers, credentials: "same-origin" });
}

/** ``fetch`` with the session's token (renewed once when refused as expired). */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await send(path, init);
  if (response.status === 401 && getSession() && (await refreshSession())) return send(path, init);
  return response;
}

/** A REST request the API refused (``{error, detail}``) or did not answer. */
export class RestError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when the server did not answer. */
    readonly status: number,
    /** The API's error code ("CONFLICT"), if it gave one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "RestError";
  }
}

/**
 * Sends ``body`` (as JSON, when given) to ``path`` and gives the answer's JSON (null for an
 * empty answer, 204); throws RestError with the API's detail when refused.
 */
export async function restJson<T>(path: string, method = "GET", body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await authorizedFetch(path, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new RestError("the server did not answer", 0);
  }
  if (!response.ok) {
    const { code, detail } = await problemOf(response);
    throw new RestError(detail, response.status, code);
  }
  if (response.status === 204) return null as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}
