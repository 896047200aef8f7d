import { isRouteErrorResponse, useRouteError } from "react-router-dom";

import { ErrorState } from "@/components/ui/ErrorState";

/** A page that failed to load (most often: its code changed on the server since this tab opened). */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <main className="main">
      <ErrorState
        title="This page could not be loaded"
        detail={detail}
        advice="The dashboard may have been updated since this tab was opened: reload the page."
        onRetry={() => window.location.reload()}
      />
    </main>
  );
}
