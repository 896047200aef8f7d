import type { Report } from "@/features/reports/api/get-reports";
import type { ReportKind } from "@/gql/graphql";
import { formatDay, formatDayRange, formatLongMonth } from "@/lib/format";

/** The report kinds as the page's tabs and URL name them (?kind=weekly). */
export const KINDS = [
  { kind: "DAILY", slug: "daily", label: "Daily", period: "day" },
  { kind: "WEEKLY", slug: "weekly", label: "Weekly", period: "week" },
  { kind: "MONTHLY", slug: "monthly", label: "Monthly", period: "month" },
] as const satisfies readonly { kind: ReportKind; slug: string; label: string; period: string }[];

export type KindSlug = (typeof KINDS)[number]["slug"];

export const KIND_SLUGS: readonly KindSlug[] = KINDS.map((k) => k.slug);

/** The period a report covers, as a reader names it: "Sun, Nov 29, 2026", "Nov 23 – 29,
 * 2026", "November 2026" (its dates are the business time zone's calendar days). */
export function reportPeriod(report: Pick<Report, "kind" | "periodStart" | "periodEnd">): string {
  switch (report.kind) {
    case "DAILY":
      return formatDay(report.periodStart);
    case "WEEKLY":
      return formatDayRange(report.periodStart, report.periodEnd);
    case "MONTHLY":
      return formatLongMonth(report.periodStart);
  }
}
