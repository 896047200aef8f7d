import type { CombinedError } from "urql";

import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { Skeleton } from "@/components/ui/Skeleton";

type Retry = (context: { requestPolicy: "network-only" }) => void;

/** A view without its data yet: its error (see ApiErrorState), or while it loads a
 * placeholder of its size. ``what`` names the data as the error's title does: "the catalog". */
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
  if (error) {
    return <ApiErrorState error={error} what={what} onRetry={() => retry({ requestPolicy: "network-only" })} />;
  }
  return (
    <div aria-busy="true" aria-label={loadingLabel}>
      <Skeleton height={height} />
    </div>
  );
}
