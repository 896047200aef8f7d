import { useId, useState, type FormEvent } from "react";
import type { CombinedError } from "urql";

import { useClearCache } from "@/features/system/api/get-system";

/** clearCache refuses longer patterns. */
const MAX_PATTERN = 200;

type Outcome = { tags: string[]; pattern: string } | { error: CombinedError } | null;

/**
 * Invalidate cached answers by tag on every instance (admins only), in two steps: the
 * first click asks, the second clears.
 */
export function ClearCachePanel({ onCleared }: { onCleared: () => void }) {
  const id = useId();
  const [pattern, setPattern] = useState("*");
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [state, clearCache] = useClearCache();
  const trimmed = pattern.trim();

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed) return;
    setOutcome(null);
    setConfirming(true);
  };
  const clear = async () => {
    const result = await clearCache({ pattern: trimmed });
    setConfirming(false);
    if (result.error) {
      setOutcome({ error: result.error });
    } else if (result.data) {
      setOutcome({ tags: result.data.clearCache.tags, pattern: trimmed });
      onCleared();
    }
  };

  return (
    <section className="panel system-panel system-clear-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Clear the cache</h2>
      <p className="system-muted">
        Cached answers that depend on the matching tags go stale on every instance; the next
        requests compute them again from the database.
      </p>
      <form className="system-clear" onSubmit={ask}>
        <label htmlFor={`${id}-pattern`}>Tags matching</label>
        <input
          id={`${id}-pattern`}
          value={pattern}
          maxLength={MAX_PATTERN}
          onChange={(event) => {
            setPattern(event.target.value);
            setConfirming(false);
          }}
          aria-describedby={`${id}-help`}
          disabled={state.fetching}
          required
        />
        <button type="submit" className="button" disabled={!trimmed || state.fetching}>
          Clear cache…
        </button>
        <p id={`${id}-help`} className="system-muted system-clear__help">
          A glob over the tags orders, products, customers and reps: <code>*</code> clears
          everything, <code>products</code> only answers about products.
        </p>
      </form>
      {confirming && (
        <div className="system-confirm" role="group" aria-label="Confirm clearing the cache">
          <p>
            Clear every cached answer depending on tags matching <code>{trimmed}</code>, on every
            instance?
          </p>
          <button
            type="button"
            className="button button--danger"
            onClick={clear}
            disabled={state.fetching}
          >
            {state.fetching ? "Clearing…" : "Yes, clear the cache"}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => setConfirming(false)}
            disabled={state.fetching}
          >
            Cancel
          </button>
        </div>
      )}
      {outcome && "tags" in outcome && (
        <p className="system-cleared" role="status">
          {outcome.tags.length === 0
            ? `No cache tag matches ${outcome.pattern}: nothing was cleared.`
            : `Cleared ${outcome.tags.length === 1 ? "tag" : "tags"}: ${outcome.tags.join(", ")}.`}
        </p>
      )}
      {outcome && "error" in outcome && <ClearError error={outcome.error} />}
    </section>
  );
}

function ClearError({ error }: { error: CombinedError }) {
  const code = error.graphQLErrors[0]?.extensions?.code;
  const advice =
    code === "FORBIDDEN" || code === "UNAUTHENTICATED"
      ? "Only an admin may clear the cache: sign in as one."
      : code === "BAD_USER_INPUT"
        ? "Change the pattern and try again."
        : error.networkError
          ? "The API did not answer: check that the server is running, then try again."
          : "Try again; if it keeps failing, the server log says why.";
  return (
    <div className="notice notice--error system-clear__error" role="alert">
      <p className="notice__title">The cache was not cleared</p>
      <p>{advice}</p>
      <p className="notice__detail">{error.message}</p>
    </div>
  );
}
