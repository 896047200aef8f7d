import type { PeriodState } from "@/lib/period";

/** The period in an exported file's name: "MONTH", or "2026-01-01_2026-01-31". */
export function periodSlug(period: PeriodState): string {
  return period.period === "CUSTOM" && period.range
    ? `${period.range.startDate}_${period.range.endDate}`
    : period.period;
}
