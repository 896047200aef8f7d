export interface ErrorStateProps {
  title: string;
  /** What went wrong, in the API's words. */
  detail: string;
  /** What the reader can do about it. */
  advice: string;
  onRetry?: () => void;
}

export function ErrorState({ title, detail, advice, onRetry }: ErrorStateProps) {
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice__title">{title}</h2>
      <p>{advice}</p>
      <p className="notice__detail">{detail}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
