import { useState } from "react";

/**
 * The latest answer, kept while the next one loads (a new grouping, a new period), with
 * the key it was asked for under, so a page can dim what is stale instead of blanking it.
 */
export function useKept<T, K>(data: T | null | undefined, key: K): { data: T; key: K } | null {
  const [kept, setKept] = useState<{ data: T; key: K } | null>(null);
  // A refused request answers data: null.
  if (data == null) return kept;
  if (kept?.data !== data) setKept({ data, key });
  return { data, key: kept?.data === data ? kept.key : key };
}
