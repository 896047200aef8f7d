import type { JobRun } from "@/features/system/api/get-system";
import { isFailure } from "@/features/system/lib/outcomes";
import { formatCount, formatDateTime, formatDuration } from "@/lib/format";

import { OutcomeBadge } from "./OutcomeBadge";

export interface JobRunsTableProps {
  name: string;
  runs: readonly JobRun[];
  timezone: string;
}

/** A job's latest runs, newest first: when, why, how it ended, how long, what it did. */
export function JobRunsTable({ name, runs, timezone }: JobRunsTableProps) {
  if (runs.length === 0) return <p className="system-muted">{name} has not run yet.</p>;
  return (
    <table className="table jobs-runs">
      <caption>Recent runs of {name}</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Trigger</th>
          <th scope="col">Outcome</th>
          <th scope="col" className="num">Took</th>
          <th scope="col" className="num">Rows</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>
              {run.startedAt ? (
                <time dateTime={run.startedAt}>{formatDateTime(run.startedAt, timezone)}</time>
              ) : (
                "Not yet"
              )}
            </td>
            <td>{run.trigger}</td>
            <td>
              <OutcomeBadge outcome={run.outcome} />
            </td>
            <td className="num">{run.durationMs == null ? "—" : formatDuration(run.durationMs)}</td>
            <td className="num">{run.rows == null ? "—" : formatCount(run.rows)}</td>
            <td className="jobs-runs__detail">
              {isFailure(run.outcome) && run.error ? (
                <code className="jobs-error">{run.error}</code>
              ) : (
                (run.detail ?? "")
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
