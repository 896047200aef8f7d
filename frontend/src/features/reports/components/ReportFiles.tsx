import type { Report } from "@/features/reports/api/get-reports";
import type { ReportDownloads } from "@/features/reports/hooks/use-report-downloads";
import { reportPeriod } from "@/features/reports/lib/period";

/** A report's HTML (a new tab) and CSV (a file) buttons. */
export function ReportFiles({ report, downloads }: { report: Report; downloads: ReportDownloads }) {
  const period = reportPeriod(report);
  return (
    <span className="report-files">
      {(["html", "csv"] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button report-files__button"
          disabled={downloads.busy.has(`${report.id}.${format}`)}
          onClick={() => void downloads.download(report, format)}
          aria-label={`${format.toUpperCase()} of the report for ${period}`}
        >
          {format.toUpperCase()}
        </button>
      ))}
    </span>
  );
}
