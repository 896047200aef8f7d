import type { JobOutcome } from "@/gql/graphql";

/** How a run ended, or that it has not (QUEUED: sent to a worker; RUNNING). */
export type Outcome = JobOutcome;

/** The outcome's words (a badge shows them beside its color, never the color alone). */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  SKIPPED: "Skipped",
  TIMED_OUT: "Timed out",
};

/** A run in one of these has not ended: its job is busy, and a page waiting for it polls. */
export function isActive(outcome: Outcome): boolean {
  return outcome === "QUEUED" || outcome === "RUNNING";
}

/** The run waits for a worker to take it. */
export function isQueued(outcome: Outcome): boolean {
  return outcome === "QUEUED";
}

/** The run ended badly: its error is worth showing. */
export function isFailure(outcome: Outcome): boolean {
  return outcome === "FAILED" || outcome === "TIMED_OUT";
}
