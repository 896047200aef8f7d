import { OUTCOME_LABELS, type Outcome } from "@/features/system/lib/outcomes";

const ICONS: Record<Outcome, string> = {
  QUEUED: "…",
  RUNNING: "↻",
  SUCCEEDED: "✓",
  FAILED: "✕",
  SKIPPED: "–",
  TIMED_OUT: "!",
};

/** A run's outcome as a colored badge that says it in words too. */
export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return (
    <span className={`badge badge--${outcome.toLowerCase().replace("_", "-")}`}>
      <span aria-hidden="true">{ICONS[outcome]} </span>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}
