import type { Job } from "@/features/system/api/get-system";
import type { ShownRequest } from "@/features/system/hooks/use-job-runs";
import { OUTCOME_LABELS, isActive, isFailure, isQueued } from "@/features/system/lib/outcomes";
import { describeApiError } from "@/lib/api-error";
import { formatCount, formatDuration } from "@/lib/format";

export interface RunNowProps {
  job: Job;
  request: ShownRequest | null;
  onRun: () => void;
}

/** What the last "Run now" came to, in words (a live region reads it out). */
function said(request: ShownRequest | null): string {
  if (!request) return "";
  if (request.state === "sending") return "Starting…";
  if (request.state === "refused") {
    const { title, detail } = describeApiError(request.error, "the job");
    return `Not started: ${title.toLowerCase()} (${detail})`;
  }
  const { run } = request;
  if (isActive(run.outcome)) return isQueued(run.outcome) ? "Queued, waiting for a worker…" : "Running…";
  const took = run.durationMs == null ? "" : ` in ${formatDuration(run.durationMs)}`;
  const rows = run.rows == null ? "" : `, ${formatCount(run.rows)} ${run.rows === 1 ? "row" : "rows"}`;
  const error = isFailure(run.outcome) && run.error ? `: ${run.error}` : "";
  return `${OUTCOME_LABELS[run.outcome]}${took}${rows}${error}`;
}

/** The job's "Run now" button, disabled while the job runs, and how the run went. */
export function RunNow({ job, request, onRun }: RunNowProps) {
  const busy =
    request?.state === "sending" ||
    (request?.state === "started" && isActive(request.run.outcome)) ||
    (job.lastRun !== null && job.lastRun !== undefined && isActive(job.lastRun.outcome));
  const outcome = request?.state === "started" && !isActive(request.run.outcome) ? request.run.outcome : null;
  return (
    <div className="run-now">
      <button
        type="button"
        className="button"
        onClick={onRun}
        disabled={busy}
        aria-label={`Run now ${job.name}`}
      >
        Run now
      </button>
      <span
        className={`run-now__status${outcome && isFailure(outcome) ? " run-now__status--failed" : ""}`}
        role="status"
      >
        {said(request)}
      </span>
    </div>
  );
}
