import { useCallback, useMemo, useState } from "react";

import type { Report } from "@/features/reports/api/get-reports";
import { reportPeriod } from "@/features/reports/lib/period";
import { fetchFile, openFileInTab, saveFile } from "@/lib/download";

export type Format = "html" | "csv";

export interface ReportDownloads {
  /** "<report id>.<format>" of the downloads under way. */
  busy: ReadonlySet<string>;
  /** Why the last download failed, until the next one starts. */
  error: string | null;
  download: (report: Report, format: Format) => Promise<void>;
  dismiss: () => void;
}

/** A report's HTML (opened in a new tab) and CSV (saved), fetched with the session's token. */
export function useReportDownloads(): ReportDownloads {
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const download = useCallback(async (report: Report, format: Format) => {
    const key = `${report.id}.${format}`;
    setError(null);
    setBusy((keys) => new Set(keys).add(key));
    try {
      if (format === "html") {
        await openFileInTab(report.htmlUrl, "text/html;charset=utf-8");
      } else {
        const file = await fetchFile(report.csvUrl);
        saveFile(file.filename ?? `shopx-report-${report.id}.csv`, file.blob);
      }
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      const what = `The ${format.toUpperCase()} of the report for ${reportPeriod(report)}`;
      setError(`${what} could not be downloaded: ${reason}.`);
    } finally {
      setBusy((keys) => {
        const next = new Set(keys);
        next.delete(key);
        return next;
      });
    }
  }, []);
  const dismiss = useCallback(() => setError(null), []);
  return useMemo(() => ({ busy, error, download, dismiss }), [busy, error, download, dismiss]);
}
