import { useId } from "react";

import { FigureCard } from "@/components/ui/FigureCard";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { Skeleton } from "@/components/ui/Skeleton";
import { formatCount, formatPercent } from "@/lib/format";

import { useImport } from "../hooks/use-import";
import { isActive, SOURCE_LABELS, type ImportRecord } from "../lib/imports";
import { ImportReportView } from "./ImportReportView";
import { StateBadge } from "./StateBadge";

export interface ImportDetailsProps {
  id: string;
  /** The import as an upload's answer gave it, if it came from one. */
  known: ImportRecord | null;
  timezone: string;
  /** A followed import ended: the lists that show it can be asked for again. */
  onEnded?: () => void;
  onClose: () => void;
}

/** One import: its state, progress while it runs, its report once it ended. */
export function ImportDetails({ id, known, timezone, onEnded, onClose }: ImportDetailsProps) {
  const headingId = useId();
  const { record, error } = useImport(id, known, onEnded);
  const title = record ? `Import ${record.id}${record.fileName ? ` · ${record.fileName}` : ""}` : `Import ${id}`;
  return (
    <section className="panel import-details" aria-labelledby={headingId}>
      <div className="import-details__head">
        <div>
          <h2 id={headingId}>{title}</h2>
          {record && (
            <p className="import-muted">
              {SOURCE_LABELS[record.source]}
              {record.dryRun && " · dry run: nothing was written"} · started{" "}
              <RelativeTime at={record.createdAt} timezone={timezone} />
            </p>
          )}
        </div>
        {record && <StateBadge state={record.state} />}
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      {error && (
        <p className="import-problem" role="alert">
          The import could not be read: {error}.
        </p>
      )}
      {record ? <ImportBody record={record} /> : !error && <Skeleton height="8rem" />}
    </section>
  );
}

function ImportBody({ record }: { record: ImportRecord }) {
  const active = isActive(record.state);
  return (
    <>
      {active && (
        <div className="import-progress">
          <label htmlFor={`import-${record.id}-progress`}>
            {record.state === "queued" ? "Waiting to start" : "Importing"}: {formatPercent(record.percent)}
          </label>
          <progress id={`import-${record.id}-progress`} max={100} value={record.percent} />
        </div>
      )}
      {record.state === "failed" && record.error && (
        <div className="notice notice--error import-failure" role="alert">
          <p className="notice__title">The import stopped</p>
          <p>{record.error}</p>
          <p className="notice__detail">
            The batches it committed are kept; importing the same file again completes it without
            duplicates.
          </p>
        </div>
      )}
      <div className="kpi-grid import-counts">
        <FigureCard label="Rows read" value={formatCount(record.rowsRead)} />
        <FigureCard label={record.dryRun ? "Would be imported" : "Imported"} value={formatCount(record.rowsImported)} />
        <FigureCard label="Skipped as already imported" value={formatCount(record.rowsSkipped)} />
        <FigureCard label="Failed" value={formatCount(record.rowsFailed)} />
      </div>
      {record.report && <ImportReportView record={record} report={record.report} />}
    </>
  );
}
