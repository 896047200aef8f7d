import { useState } from "react";

import { fetchFile, saveFile } from "@/lib/download";
import { formatCount } from "@/lib/format";

import { errorsCsvPath, type ImportRecord, type ImportReport } from "../lib/imports";
import { RowErrorsTable } from "./RowErrorsTable";

/** What an ended import did: orders and records created, its row errors and their CSV. */
export function ImportReportView({ record, report }: { record: ImportRecord; report: ImportReport }) {
  const created: [string, number][] = [
    ["Orders created", report.ordersCreated],
    ["Orders extended", report.ordersExtended],
    ["New products", report.newProducts],
    ["New categories", report.newCategories],
    ["New customers", report.newCustomers],
    ["New sales reps", report.newReps],
  ];
  return (
    <>
      <dl className="import-created" aria-label={record.dryRun ? "What the import would create" : "What the import created"}>
        {created.map(([label, count]) => (
          <div key={label} className="import-created__item">
            <dt>{label}</dt>
            <dd>{formatCount(count)}</dd>
          </div>
        ))}
      </dl>
      {report.failed > 0 && (
        <>
          <ErrorsDownload record={record} failed={report.failed} />
          {report.errors.length > 0 && <RowErrorsTable errors={report.errors} failed={report.failed} />}
        </>
      )}
    </>
  );
}

/** Every row error of the import as CSV (the report lists the first 100 only). */
function ErrorsDownload({ record, failed }: { record: ImportRecord; failed: number }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const file = await fetchFile(errorsCsvPath(record.id));
      saveFile(file.filename ?? `shopx-import-${record.id}-errors.csv`, file.blob);
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      setProblem(`The row errors could not be downloaded: ${reason}.`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="import-errors__bar">
      <p className="import-muted">
        {formatCount(failed)} {failed === 1 ? "row was" : "rows were"} not imported; the good rows
        were kept. Fix the rows and upload the file again: rows already imported are skipped.
      </p>
      <button type="button" className="button" onClick={() => void download()} disabled={busy}>
        {busy ? "Downloading…" : "Download all row errors (CSV)"}
      </button>
      {problem && (
        <p className="import-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
