import { useCallback, useLayoutEffect, useRef } from "react";
import { useSearchParams, type NavigateOptions } from "react-router-dom";

/**
 * The URL's search parameters and a way to change some of them. React Router hands an
 * updater the parameters of the last render, so two changes before the next render (a
 * debounced search landing just after a click) would drop the first; here each change
 * starts from the one before it.
 */
export function useUrlParams(): [
  URLSearchParams,
  (change: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) => void,
] {
  const [params, setParams] = useSearchParams();
  const latest = useRef(params);
  useLayoutEffect(() => {
    latest.current = params;
  }, [params]);
  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) => {
      const next = change(latest.current);
      latest.current = next;
      setParams(next, options);
    },
    [setParams],
  );
  return [params, update];
}
