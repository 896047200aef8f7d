import { BarList, type Bar } from "@/components/charts/BarList";
import type { CategoryShare, SegmentShare } from "@/features/overview/api/get-overview";
import type { CustomerSegment } from "@/gql/graphql";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";

import { LiveValue } from "./LiveValue";

const SEGMENTS: Record<CustomerSegment, string> = {
  PREMIUM: "Premium",
  REGULAR: "Regular",
  NEW: "New",
  AT_RISK: "At risk",
  CHURNED: "Churned",
};

/** Each top-level category's share of the item sales. */
export function CategoryShareList({
  categories,
  currency,
}: {
  categories: readonly CategoryShare[];
  currency: string;
}) {
  const bars: Bar[] = categories.map((row) => ({
    key: row.category.id,
    label: row.category.name,
    weight: Number(row.revenue),
    display: `${formatMoney(row.revenue, currency)} · ${formatPercent(row.percentage)}`,
  }));
  return (
    <LiveValue value={JSON.stringify(bars)} block>
      <BarList title="Category share of item sales" bars={bars} />
    </LiveValue>
  );
}

/** Customers per segment: every customer, by lifetime statistics (not the period's). */
export function CustomerSegmentList({
  segments,
  currency,
}: {
  segments: readonly SegmentShare[];
  currency: string;
}) {
  const bars: Bar[] = segments.map((row) => ({
    key: row.segment,
    label: SEGMENTS[row.segment],
    weight: row.customerCount,
    display:
      `${formatCount(row.customerCount)} customers · ${formatPercent(row.percentage)}` +
      ` · ${formatMoney(row.totalRevenue, currency)} lifetime`,
  }));
  return (
    <LiveValue value={JSON.stringify(bars)} block>
      <BarList title="Customer segments (all customers, lifetime)" bars={bars} />
    </LiveValue>
  );
}
