import type { CombinedError } from "urql";

import type { Role } from "./session";

export interface ErrorDescription {
  title: string;
  /** What went wrong, in the API's words. */
  detail: string;
  /** What the reader can do about it. */
  advice: string;
  /** Signing in (again) is the way on: the error state links to the sign-in page. */
  signIn?: boolean;
}

/** The API's error code of a failed request ("NOT_FOUND"), if it gave one. */
export function errorCode(error: CombinedError): string | undefined {
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * What to tell the reader when a page's request failed (for <ApiErrorState>): by the API's
 * error code, else that the API did not answer, else that ``what`` ("the customers") could
 * not be loaded. ``role`` is the caller's (null when not signed in), named when the API
 * refused it.
 */
export function describeApiError(
  error: CombinedError,
  what: string,
  role: Role | null = null,
): ErrorDescription {
  const detail = error.message;
  switch (errorCode(error) ?? (error.response?.status === 429 ? "RATE_LIMIT_EXCEEDED" : null)) {
    case "UNAUTHENTICATED":
      return role
        ? {
            title: "Your sign-in is no longer valid",
            advice: "Sign in again, then come back to this page.",
            detail,
            signIn: true,
          }
        : {
            title: `Sign in to see ${what}`,
            advice: "This server answers signed-in users only: sign in, then come back to this page.",
            detail,
            signIn: true,
          };
    case "FORBIDDEN":
      return role
        ? {
            title: `Not allowed to read ${what}`,
            advice: `Your role (${role}) cannot read this; ask an admin for a role that may.`,
            detail,
          }
        : {
            title: `Not allowed to read ${what}`,
            advice: "Reading without signing in does not cover this: sign in with a role that may.",
            detail,
            signIn: true,
          };
    case "BAD_USER_INPUT":
      return {
        title: `The API refused the request for ${what}`,
        advice: "Change the period or the other choices on this page; what was refused is below.",
        detail,
      };
    case "RATE_LIMIT_EXCEEDED":
      return {
        title: "Too many requests",
        advice: "The API's rate limit was reached; wait a minute, then try again.",
        detail,
      };
  }
  if (error.networkError) {
    return {
      title: "The API did not answer",
      advice: "Check that the server is running (make run), then try again.",
      detail,
    };
  }
  return {
    title: `${what.charAt(0).toUpperCase()}${what.slice(1)} could not be loaded`,
    advice: "Try again; if it keeps failing, the server log says why.",
    detail,
  };
}
