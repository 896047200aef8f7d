import { countColumn, moneyColumn } from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { Report } from "@/features/reports/api/get-reports";
import type { ReportDownloads } from "@/features/reports/hooks/use-report-downloads";
import { reportPeriod } from "@/features/reports/lib/period";
import { formatDateTime } from "@/lib/format";

import { ReportFiles } from "./ReportFiles";
import { Trend } from "./Trend";

function changeColumn(
  id: string,
  header: string,
  percent: (report: Report) => number | null | undefined,
): Column<Report> {
  return {
    id,
    header,
    value: percent,
    cell: (report) => <Trend percent={percent(report)} />,
    numeric: true,
  };
}

/** The reports table's columns: the period, its headline figures against the previous
 * period, and the report's files. */
export function reportColumns(
  currency: string,
  timezone: string,
  downloads: ReportDownloads,
): Column<Report>[] {
  return [
    {
      id: "period",
      header: "Period",
      value: (report) => report.periodStart,
      cell: (report) => (
        <>
          {reportPeriod(report)}
          {report.sentAt && (
            <span className="table__sub">E-mailed {formatDateTime(report.sentAt, timezone)}</span>
          )}
        </>
      ),
    },
    moneyColumn("revenue", "Revenue", (report) => report.revenue, currency),
    changeColumn("revenueChange", "Revenue vs previous", (report) => report.revenueChangePercentage),
    countColumn("orders", "Orders", (report) => report.orders),
    changeColumn("ordersChange", "Orders vs previous", (report) => report.ordersChangePercentage),
    moneyColumn("aov", "Average order", (report) => report.aov, currency),
    changeColumn("aovChange", "Average order vs previous", (report) => report.aovChangePercentage),
    {
      id: "files",
      header: "Download",
      value: (report) => report.csvUrl,
      cell: (report) => <ReportFiles report={report} downloads={downloads} />,
    },
  ];
}
