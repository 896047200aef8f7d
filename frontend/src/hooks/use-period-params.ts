import { useCallback, useMemo } from "react";

import { readPeriod, writePeriod, type PeriodState } from "@/lib/period";

import { useUrlParams } from "./use-url-params";

/** The page's period, read from and written to its URL (see lib/period.ts). */
export function usePeriodParams(): [PeriodState, (next: Partial<PeriodState>) => void] {
  const [params, setParams] = useUrlParams();
  const state = useMemo(() => readPeriod(params), [params]);
  const update = useCallback(
    (next: Partial<PeriodState>) =>
      setParams((current) => writePeriod(current, { ...readPeriod(current), ...next })),
    [setParams],
  );
  return [state, update];
}
