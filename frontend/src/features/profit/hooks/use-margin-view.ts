import { useCallback, useMemo } from "react";
import { defaultSort, readMarginView, writeMarginView, type MarginView } from "@/features/profit/lib/margin-view";
import { useUrlParams } from "@/hooks/use-url-params";

/**
 * The margin analysis's grouping, size and order, read from and written to the URL; a new
 * grouping starts in its own natural order.
 */
export function useMarginView(): [MarginView, (next: Partial<MarginView>) => void] {
  const [params, setParams] = useUrlParams();
  const view = useMemo(() => readMarginView(params), [params]);
  const update = useCallback(
    (next: Partial<MarginView>) =>
      setParams((current) => {
        const before = readMarginView(current);
        const merged = { ...before, ...next };
        if (next.groupBy && next.groupBy !== before.groupBy && !next.sort) {
          merged.sort = defaultSort(next.groupBy);
        }
        return writeMarginView(current, merged);
      }),
    [setParams],
  );
  return [view, update];
}
