import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router-dom";

import { readPeriod, writePeriod, type PeriodState } from "@/lib/period";

/** The page's period, read from and written to its URL (see lib/period.ts). */
export function usePeriodParams(): [PeriodState, (next: Partial<PeriodState>) => void] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readPeriod(params), [params]);
  const update = useCallback(
    (next: Partial<PeriodState>) =>
      setParams((current) => writePeriod(current, { ...readPeriod(current), ...next })),
    [setParams],
  );
  return [state, update];
}
