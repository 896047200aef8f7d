import { useCallback, useLayoutEffect, useRef } from "react";
import { useLocation, useSearchParams, type NavigateOptions } from "react-router-dom";

// Changes written but not all in the URL yet. React Router applies a navigation after the
// event that asked for it (in a transition) and hands an updater the parameters of the last
// render, so changes made before the router catches up (two selects in a row, a debounced
// search landing after a click) would each start from stale parameters and lose the ones
// before. Each change starts from the last one written instead, until the router renders
// that last one; a render of one of the intermediate URLs is not caught up yet, and a render
// of any other URL (the back button) drops what was pending. Shared by every instance of the
// hook, as each control of a page has its own.
interface Pending {
  /** The URL before the first pending change. */
  origin: string;
  /** Every URL written since (intermediate renders are among them). */
  written: Set<string>;
  /** The last change's parameters and URL. */
  next: URLSearchParams;
  target: string;
}
let pending: Pending | null = null;

/** What a render at ``at`` means for the pending changes. */
export function observeRender(at: string): void {
  if (!pending) return;
  if (at === pending.target || (at !== pending.origin && !pending.written.has(at))) pending = null;
}

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
  const rendered = useRef({ params, pathname });
  useLayoutEffect(() => {
    rendered.current = { params, pathname };
    observeRender(`${pathname}?${params.toString()}`);
  }, [pathname, params]);
  const update = useCallback(
    (change: (current: URLSearchParams) => URLSearchParams, options?: NavigateOptions) => {
      const { params: current, pathname: path } = rendered.current;
      const next = change(new URLSearchParams(pending ? pending.next : current));
      const target = `${path}?${next.toString()}`;
      if (pending) {
        pending.written.add(target);
        pending = { ...pending, next, target };
      } else {
        const origin = `${path}?${current.toString()}`;
        pending = { origin, written: new Set([target]), next, target };
      }
      setParams(next, options);
    },
    [setParams],
  );
  return [params, update];
}
