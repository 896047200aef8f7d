import type { ReactNode } from "react";

export interface ErrorStateProps {
  title: string;
  /** What went wrong, in the API's words. */
  detail: string;
  /** What the reader can do about it. */
  advice: string;
  onRetry?: () => void;
  /** A way on besides trying again (a link to sign in). */
  action?: ReactNode;
}

export function ErrorState({ title, detail, advice, onRetry, action }: ErrorStateProps) {
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice__title">{title}</h2>
      <p>{advice}</p>
      <p className="notice__detail">{detail}</p>
      {(action || onRetry) && (
        <p className="notice__actions">
          {action}
          {onRetry && (
            <button type="button" className="button" onClick={onRetry}>
              Try again
            </button>
          )}
        </p>
      )}
    </div>
  );
}
