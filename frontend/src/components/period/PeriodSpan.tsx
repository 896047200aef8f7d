import { formatDateTime } from "@/lib/format";

export interface PeriodSpanProps {
  shop: { name: string; timezone: string };
  /** The period's bounds as the API answered them. */
  span: { periodStart: string; periodEnd: string };
}

/** The page header's line under the title: the shop, and the period it shows, in the
 * business time zone. */
export function PeriodSpan({ shop, span }: PeriodSpanProps) {
  const { name, timezone } = shop;
  return (
    <p className="page-header__sub">
      {name}: {formatDateTime(span.periodStart, timezone)} to{" "}
      {formatDateTime(span.periodEnd, timezone)} ({timezone})
    </p>
  );
}
