import { useId, useState } from "react";

import { RelativeTime } from "@/components/ui/RelativeTime";
import type { Job } from "@/features/system/api/get-system";
import type { JobRuns } from "@/features/system/hooks/use-job-runs";
import { isFailure } from "@/features/system/lib/outcomes";
import { formatCount, formatDateTime, formatDuration, formatRelative } from "@/lib/format";

import { JobRunsTable } from "./JobRunsTable";
import { OutcomeBadge } from "./OutcomeBadge";
import { RunNow } from "./RunNow";

export interface JobsPanelProps {
  jobs: readonly Job[];
  /** The business time zone: schedules are read in it, times shown in it. */
  timezone: string;
  runs: JobRuns;
}

const COLUMNS = 8;

/** The background jobs: schedule, next and last run, how the last one went; run one now. */
export function JobsPanel({ jobs, timezone, runs }: JobsPanelProps) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (name: string) =>
    setOpen((names) => {
      const next = new Set(names);
      if (!next.delete(name)) next.add(name);
      return next;
    });
  return (
    <section className="panel system-panel system-jobs" aria-labelledby="system-jobs">
      <h2 id="system-jobs">Background jobs</h2>
      <p className="system-muted">
        Schedules are read in the shop&apos;s time zone ({timezone}). Open a job for its recent
        runs and the error of a failed one.
      </p>
      <div className="jobs-scroll">
        <table className="table jobs-table">
          <caption className="visually-hidden">Background jobs</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Schedule</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="num">Took</th>
              <th scope="col" className="num">Rows</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {jobs.map((job) => (
            <JobRows
              key={job.name}
              job={job}
              timezone={timezone}
              expanded={open.has(job.name)}
              onToggle={() => toggle(job.name)}
              runs={runs}
            />
          ))}
        </table>
      </div>
    </section>
  );
}

interface JobRowsProps {
  job: Job;
  timezone: string;
  expanded: boolean;
  onToggle: () => void;
  runs: JobRuns;
}

function JobRows({ job, timezone, expanded, onToggle, runs }: JobRowsProps) {
  const id = useId();
  const last = job.lastRun;
  const lastAt = last?.finishedAt ?? last?.startedAt;
  return (
    <tbody className={expanded ? "jobs-table__job jobs-table__job--open" : "jobs-table__job"}>
      <tr>
        <th scope="row">
          <button
            type="button"
            className="jobs-table__toggle"
            aria-expanded={expanded}
            aria-controls={`${id}-details`}
            onClick={onToggle}
          >
            <span aria-hidden="true" className="jobs-table__chevron">
              {expanded ? "▾" : "▸"}
            </span>
            {job.name}
          </button>
          <span className="table__sub">{job.description}</span>
        </th>
        <td>
          {job.scheduleDescription}
          {job.nextRun && <span className="table__sub">{timezone}</span>}
        </td>
        <td>
          {job.nextRun ? (
            <>
              <time dateTime={job.nextRun}>{formatDateTime(job.nextRun, timezone)}</time>
              <span className="table__sub">{formatRelative(job.nextRun)}</span>
            </>
          ) : (
            <span className="system-muted">Not scheduled</span>
          )}
        </td>
        <td>
          {lastAt ? <RelativeTime at={lastAt} timezone={timezone} /> : last ? "Not started yet" : "Never"}
        </td>
        <td>{last ? <OutcomeBadge outcome={last.outcome} /> : "—"}</td>
        <td className="num">{last?.durationMs == null ? "—" : formatDuration(last.durationMs)}</td>
        <td className="num">{last?.rows == null ? "—" : formatCount(last.rows)}</td>
        <td>
          <RunNow job={job} request={runs.requestOf(job)} onRun={() => void runs.runNow(job.name)} />
        </td>
      </tr>
      <tr id={`${id}-details`} className="jobs-table__details" hidden={!expanded}>
        <td colSpan={COLUMNS}>
          {expanded && (
            <>
              <dl className="system-facts jobs-facts">
                <dt>Cron ({timezone})</dt>
                <dd>
                  <code>{job.schedule}</code>
                </dd>
                <dt>Queue</dt>
                <dd>{job.queue}</dd>
                {last?.detail && (
                  <>
                    <dt>Last run said</dt>
                    <dd>{last.detail}</dd>
                  </>
                )}
              </dl>
              {last && isFailure(last.outcome) && last.error && (
                <div
                  className="notice notice--error jobs-failure"
                  role="group"
                  aria-label={`Error of the last run of ${job.name}`}
                >
                  <p className="notice__title">
                    The last run {last.outcome === "TIMED_OUT" ? "timed out" : "failed"}
                  </p>
                  <pre className="jobs-error">{last.error}</pre>
                </div>
              )}
              <JobRunsTable name={job.name} runs={job.recentRuns} timezone={timezone} />
            </>
          )}
        </td>
      </tr>
    </tbody>
  );
}
