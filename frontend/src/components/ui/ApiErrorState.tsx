import { Link, useLocation } from "react-router-dom";
import type { CombinedError } from "urql";

import { loginPath } from "@/components/layout/pages";
import { useSession } from "@/hooks/use-session";
import { describeApiError } from "@/lib/api-error";

import { ErrorState } from "./ErrorState";

export interface ApiErrorStateProps {
  error: CombinedError;
  /** What failed to load, as the title names it: "the customers". */
  what: string;
  onRetry?: () => void;
}

/** A page's failed request: what went wrong and what to do, with a way to sign in again
 * when that is the way on. */
export function ApiErrorState({ error, what, onRetry }: ApiErrorStateProps) {
  const { role } = useSession();
  const { pathname, search } = useLocation();
  const { signIn, ...description } = describeApiError(error, what, role);
  const action = signIn ? (
    <Link className="button" to={loginPath(pathname + search)}>
      {role ? "Sign in again" : "Sign in"}
    </Link>
  ) : undefined;
  return <ErrorState {...description} onRetry={onRetry} action={action} />;
}
