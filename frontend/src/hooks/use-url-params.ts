import { useCallback, useLayoutEffect, useRef } from "react";
import { useLocation, useSearchParams, type NavigateOptions } from "react-router-dom";

// A change written but not in the URL yet: React Router applies a navigation after the event
// that asked for it and hands an updater the parameters of the last render, so two changes
// before the next render (two selects in a row, a debounced search landing after a click)
// would each start from the same parameters and the first would be lost. Shared by every
// instance of the hook, as two controls of a page each have their own.
let pending: { from: string; next: URLSearchParams } | null = null;

/**
 * The URL's search parameters and a way to change some of them; each change starts from the
 * last one written, even before the router has rendered it.
 */
export function useUrlParams(): [
  URLSearchParams,
  (change: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) => void,
] {
  const [params, setParams] = useSearchParams();
  const { pathname } = useLocation();
  const rendered = useRef({ params, at: `${pathname}?${params.toString()}` });
  useLayoutEffect(() => {
    const at = `${pathname}?${params.toString()}`;
    rendered.current = { params, at };
    if (pending && pending.from !== at) pending = null; // the router caught up
  }, [pathname, params]);
  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) => {
      const { params: current, at } = rendered.current;
      const base = pending?.from === at ? pending.next : current;
      const next = change(new URLSearchParams(base));
      pending = { from: at, next };
      setParams(next, options);
    },
    [setParams],
  );
  return [params, update];
}
