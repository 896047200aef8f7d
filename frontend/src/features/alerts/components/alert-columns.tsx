import { AlertKind, AlertSubject, alertKindLabel, type AlertSummary } from "@/components/alerts/AlertItem";
import type { Column } from "@/components/table/columns";
import { RelativeTime } from "@/components/ui/RelativeTime";

/** The Alerts page's columns; ``closed`` adds when each closed (the closed and all views). */
export function alertColumns(timezone: string, linkJobs: boolean, closed: boolean): Column<AlertSummary>[] {
  const columns: Column<AlertSummary>[] = [
    { id: "kind", header: "Kind", value: alertKindLabel, cell: (alert) => <AlertKind alert={alert} /> },
    {
      id: "subject",
      header: "About",
      value: (alert) => alert.product?.name ?? alert.subject,
      cell: (alert) => <AlertSubject alert={alert} linkJobs={linkJobs} />,
    },
    {
      id: "message",
      header: "What was said",
      value: (alert) => alert.message,
      cell: (alert) => <span className="alerts-table__message">{alert.message}</span>,
    },
    {
      id: "opened",
      header: "Opened",
      value: (alert) => alert.openedAt,
      cell: (alert) => <RelativeTime at={alert.openedAt} timezone={timezone} />,
    },
  ];
  if (!closed) return columns;
  return [
    ...columns,
    {
      id: "closed",
      header: "Closed",
      value: (alert) => alert.closedAt,
      cell: (alert) =>
        alert.closedAt ? <RelativeTime at={alert.closedAt} timezone={timezone} /> : "Still open",
    },
  ];
}
