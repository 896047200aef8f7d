import type { CombinedError } from "urql";

export interface ErrorDescription {
  title: string;
  detail: string;
  advice: string;
}

/**
 * What a page's error state says about a failed query: the API's words as the detail, and
 * what the reader can do, by the error's kind. ``subject`` names what failed to load
 * ("the customers").
 */
export function describeQueryError(error: CombinedError, subject: string): ErrorDescription {
  const code = error.graphQLErrors[0]?.extensions?.code;
  if (code === "UNAUTHENTICATED" || code === "FORBIDDEN") {
    return {
      title: `Not allowed to read ${subject}`,
      detail: error.message,
      advice:
        "Sign in with a role that may read analytics (analyst or admin), or start the server " +
        "with SHOPX_ANONYMOUS_READS=true (as make run does).",
    };
  }
  if (code === "BAD_USER_INPUT") {
    return {
      title: `The API refused the request for ${subject}`,
      detail: error.message,
      advice: "Change the period or the other choices on this page; what was refused is below.",
    };
  }
  if (error.networkError) {
    return {
      title: "The API did not answer",
      detail: error.message,
      advice: "Check that the server is running (make run), then try again.",
    };
  }
  return {
    title: `${subject.charAt(0).toUpperCase()}${subject.slice(1)} could not be loaded`,
    detail: error.message,
    advice: "Try again; if it keeps failing, the server log says why.",
  };
}

/** The API's error code of a failed query ("NOT_FOUND"), if it gave one. */
export function errorCode(error: CombinedError): string | undefined {
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}
