import { useEffect, useRef, useState } from "react";

import { RestError } from "@/lib/rest";

import { getImport } from "../api/get-imports";
import { isActive, type ImportRecord } from "../lib/imports";

/** How often a queued or running import is asked for again. */
export const POLL_MS = 1_000;

export interface FollowedImport {
  record: ImportRecord | null;
  /** Why the import could not be read (the last attempt), or null. */
  error: string | null;
}

/**
 * The import ``id`` as it stands: ``known`` (an upload's answer) when given, else read from
 * GET /api/v1/imports/{id}; while it is queued or running it is read again every POLL_MS,
 * one request at a time, until it has ended or the component goes. ``onEnded`` hears once
 * when an import followed here ends (the lists showing it can be asked for again).
 */
export function useImport(id: string, known: ImportRecord | null, onEnded?: () => void): FollowedImport {
  const [state, setState] = useState<FollowedImport & { id: string }>({ id, record: known, error: null });
  const current = state.id === id ? state : { id, record: known, error: null };
  if (current !== state) setState(current);
  const ended = useRef(onEnded);
  useEffect(() => {
    ended.current = onEnded;
  }, [onEnded]);

  const record = current.record;
  const following = record === null || isActive(record.state);
  useEffect(() => {
    if (!following) return;
    let gone = false;
    let asking = false;
    // Only an import seen going is said to have ended (not one that had ended already).
    let sawActive = record !== null;
    const ask = async () => {
      if (asking) return;
      asking = true;
      try {
        const next = await getImport(id);
        if (gone) return;
        setState({ id, record: next, error: null });
        if (isActive(next.state)) sawActive = true;
        else if (sawActive) ended.current?.();
      } catch (failure) {
        if (gone) return;
        setState((s) => ({ ...s, error: failure instanceof Error ? failure.message : String(failure) }));
        // A refusal (no such import, not allowed, signed out) will not change by asking
        // again; a server that did not answer or failed may.
        if (isRefusal(failure)) {
          gone = true;
          clearInterval(timer);
        }
      } finally {
        asking = false;
      }
    };
    const timer = setInterval(() => void ask(), POLL_MS);
    if (record === null) void ask();
    return () => {
      gone = true;
      clearInterval(timer);
    };
    // Polling starts again only when the import or whether it is being followed changes
    // (not with each answer's record).
  }, [id, following]);

  return { record: current.record, error: current.error };
}

function isRefusal(failure: unknown): boolean {
  return failure instanceof RestError && failure.status >= 400 && failure.status < 500 && failure.status !== 429;
}
