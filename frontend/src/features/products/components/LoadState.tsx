import type { CombinedError } from "urql";

import { ErrorState, type ErrorStateProps } from "@/components/ui/ErrorState";
import { Skeleton } from "@/components/ui/Skeleton";

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

type Retry = (context: { requestPolicy: "network-only" }) => void;

/** What went wrong loading ``what`` (as said in the title: "the catalog"), and a retry. */
export function LoadError({ error, what, retry }: { error: CombinedError; what: string; retry: Retry }) {
  return <ErrorState {...describeError(error, what)} onRetry={() => retry({ requestPolicy: "network-only" })} />;
}

/** A view without its data yet: its error, or while it loads a placeholder of its size. */
export function LoadState({
  error,
  what,
  retry,
  loadingLabel,
  height = "20rem",
}: {
  error: CombinedError | undefined;
  what: string;
  retry: Retry;
  loadingLabel: string;
  height?: string;
}) {
  if (error) return <LoadError error={error} what={what} retry={retry} />;
  return (
    <div aria-busy="true" aria-label={loadingLabel}>
      <Skeleton height={height} />
    </div>
  );
}
