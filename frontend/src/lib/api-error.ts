import type { CombinedError } from "urql";

export interface ErrorDescription {
  title: string;
  /** What went wrong, in the API's words. */
  detail: string;
  /** What the reader can do about it. */
  advice: string;
}

/** What a page says for an error code of its own (FORBIDDEN, UNAUTHENTICATED...). */
export type ErrorAdvice = Partial<Record<string, Omit<ErrorDescription, "detail">>>;

/**
 * What to tell the reader when a page's request failed (for <ErrorState>): the page's own
 * words for the error's code if it has some, else that the API did not answer, else that
 * ``what`` could not be loaded.
 */
export function describeApiError(
  error: CombinedError,
  what: string,
  byCode: ErrorAdvice = {},
): ErrorDescription {
  const code = error.graphQLErrors[0]?.extensions?.code;
  const own = typeof code === "string" ? byCode[code] : undefined;
  if (own) return { ...own, detail: error.message };
  if (error.networkError) {
    return {
      title: "The API did not answer",
      detail: error.message,
      advice: "Check that the server is running (make run), then try again.",
    };
  }
  return {
    title: `${what.charAt(0).toUpperCase()}${what.slice(1)} could not be loaded`,
    detail: error.message,
    advice: "Try again; if it keeps failing, the server log says why.",
  };
}
