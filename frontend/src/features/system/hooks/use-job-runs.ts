import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CombinedError } from "urql";

import { useRunJob, type Job, type JobRun } from "@/features/system/api/get-system";
import { isActive } from "@/features/system/lib/outcomes";

/** How often the jobs are asked for again while a run started here is queued or running. */
export const POLL_MS = 2_000;

/** A "Run now" of one job: being sent, refused, or the run it started. */
export type RunRequest =
  | { state: "sending" }
  | { state: "refused"; error: CombinedError }
  | {
      state: "started";
      run: JobRun;
      /** The jobs as they were when the run came back: only a later answer tells about it. */
      basis: readonly Job[] | undefined;
    };

export interface JobRuns {
  /** What the last "Run now" of ``job`` came to, as the latest jobs answer tells. */
  requestOf: (job: Job) => ShownRequest | null;
  runNow: (name: string) => Promise<void>;
}

export type ShownRequest =
  | { state: "sending" }
  | { state: "refused"; error: CombinedError }
  | { state: "started"; run: JobRun };

/**
 * The run as the latest answer knows it: the record with its id among the job's runs, or
 * the run the mutation returned while no later answer has come (or it scrolled out of the
 * recent runs and the job is no longer busy: then the job's last run).
 */
function latest(
  job: Job | undefined,
  request: RunRequest & { state: "started" },
  jobs: readonly Job[] | undefined,
): JobRun {
  if (!job || jobs === request.basis) return request.run;
  const found = [job.lastRun, ...job.recentRuns].find((run) => run?.id === request.run.id);
  if (found) return found;
  return job.lastRun && !isActive(job.lastRun.outcome) ? job.lastRun : request.run;
}

/**
 * "Run now" for the System page's jobs: runJob (after which the jobs are asked for again), then
 * ``refresh`` every POLL_MS while a run started here, or any job's last run, is queued or
 * running; the polling stops when each has ended, or when the page goes.
 */
export function useJobRuns(jobs: readonly Job[] | undefined, refresh: () => void): JobRuns {
  const [, runJob] = useRunJob();
  const [requests, setRequests] = useState<ReadonlyMap<string, RunRequest>>(new Map());
  const byName = useMemo(() => new Map(jobs?.map((job) => [job.name, job])), [jobs]);
  // The jobs when a run comes back (not when it was asked for: an answer may land between).
  const current = useRef(jobs);
  useEffect(() => {
    current.current = jobs;
  }, [jobs]);

  const requestOf = useCallback(
    (job: Job): ShownRequest | null => {
      const request = requests.get(job.name);
      if (!request || request.state !== "started") return request ?? null;
      return { state: "started", run: latest(job, request, jobs) };
    },
    [requests, jobs],
  );

  // A run started here, or one the page found going (its job's button is off until it
  // ends, so the page follows it too).
  const waiting =
    [...requests].some(([name, request]) => {
      if (request.state !== "started") return false;
      return isActive(latest(byName.get(name), request, jobs).outcome);
    }) || (jobs ?? []).some((job) => job.lastRun != null && isActive(job.lastRun.outcome));
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, refresh]);

  const runNow = useCallback(
    async (name: string) => {
      const set = (request: RunRequest) => setRequests((all) => new Map(all).set(name, request));
      set({ state: "sending" });
      // A run changes its Job: urql's cache then asks the page's query (which holds the jobs)
      // again, once, as the mutation's answer arrives.
      const result = await runJob({ name }, { additionalTypenames: ["Job"] });
      if (result.data) set({ state: "started", run: result.data.runJob, basis: current.current });
      else if (result.error) set({ state: "refused", error: result.error });
    },
    [runJob],
  );

  return { requestOf, runNow };
}
