import type { CombinedError } from "urql";

import type { ErrorStateProps } from "@/components/ui/ErrorState";

/** What went wrong loading ``what``, and what the reader can do about it. */
export function describeError(error: CombinedError, what: string): Omit<ErrorStateProps, "onRetry"> {
  const code = error.graphQLErrors[0]?.extensions?.code;
  if (code === "UNAUTHENTICATED" || code === "FORBIDDEN") {
    return {
      title: `Not allowed to read ${what}`,
      detail: error.message,
      advice:
        "Products are an analytics read: sign in as an analyst or admin, or start the server " +
        "with SHOPX_ANONYMOUS_READS=true (as make run does).",
    };
  }
  if (code === "RATE_LIMIT_EXCEEDED" || error.response?.status === 429) {
    return {
      title: "Too many requests",
      detail: error.message,
      advice: "The API's rate limit was reached; wait a minute, then try again.",
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
    title: `${what[0]?.toUpperCase() ?? ""}${what.slice(1)} could not be loaded`,
    detail: error.message,
    advice: "Try again; if it keeps failing, the server log says why.",
  };
}
