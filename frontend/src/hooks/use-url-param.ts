import { useCallback } from "react";

import { useUrlParams } from "./use-url-params";

/**
 * A page control kept in the URL (a filter, a size, a view): the value and its setter. The
 * setter keeps every other parameter (the period among them); null or ``omitWhen`` removes
 * the parameter, so default views keep short links.
 */
export function useUrlParam(
  name: string,
  omitWhen?: string,
): [string | null, (next: string | null) => void] {
  const [params, setParams] = useUrlParams();
  const value = params.get(name);
  const update = useCallback(
    (next: string | null) =>
      setParams((current) => {
        if (next === null || next === omitWhen) current.delete(name);
        else current.set(name, next);
        return current;
      }),
    [setParams, name, omitWhen],
  );
  return [value, update];
}

/** A URL parameter limited to ``choices``: anything else (or nothing) reads as ``fallback``. */
export function useChoiceParam<T extends string>(
  name: string,
  choices: readonly T[],
  fallback: T,
): [T, (next: T) => void] {
  const [raw, update] = useUrlParam(name, fallback);
  return [choices.find((choice) => choice === raw) ?? fallback, update];
}
