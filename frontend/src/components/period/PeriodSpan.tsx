import { formatDateTime } from "@/lib/format";

export interface PeriodSpanProps {
  shopName: string;
  /** The period's bounds as the API answered them. */
  start: string;
  end: string;
  timezone: string;
}

/** The page header's line under the title: the shop, and the period it shows, in the
 * business time zone. */
export function PeriodSpan({ shopName, start, end, timezone }: PeriodSpanProps) {
  return (
    <p className="page-header__sub">
      {shopName}: {formatDateTime(start, timezone)} to {formatDateTime(end, timezone)} ({timezone})
    </p>
  );
}
