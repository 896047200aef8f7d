import { useMemo } from "react";

import { TimeSeriesChart, type Series } from "@/components/charts/TimeSeriesChart";
import type { MarginRow } from "@/features/profit/api/get-profit";
import { GROUPINGS, type TimeGroupBy } from "@/features/profit/lib/groupings";
import { MAX_LIMIT } from "@/features/profit/lib/margin-view";
import { bucketLabel, bucketStarts } from "@/features/profit/lib/time-buckets";
import { formatMoney, formatPercent } from "@/lib/format";

export interface MarginSeriesProps {
  rows: readonly MarginRow[];
  groupBy: TimeGroupBy;
  periodStart: string;
  periodEnd: string;
  currency: string;
  timezone: string;
}

interface Points {
  labels: string[];
  sales: (number | null)[];
  cost: (number | null)[];
  profit: (number | null)[];
  margin: (number | null)[];
}

/**
 * Every bucket of the period in time order; one the API left out had no recognised sales,
 * so its amounts are zero and its margin undefined. Null when the API's list may be cut
 * short (more buckets than it lists) or names a bucket outside the period.
 */
function points(
  rows: readonly MarginRow[],
  groupBy: TimeGroupBy,
  buckets: readonly string[],
): Points | null {
  if (buckets.length > MAX_LIMIT) return null;
  const byStart = new Map(rows.map((row) => [row.groupId, row]));
  const known = new Set(buckets);
  if (rows.some((row) => !known.has(row.groupId))) return null;
  const amount = (value: string | undefined) => (value === undefined ? 0 : Number(value));
  return {
    labels: buckets.map((bucket) => bucketLabel(groupBy, bucket)),
    sales: buckets.map((bucket) => amount(byStart.get(bucket)?.revenue)),
    cost: buckets.map((bucket) => amount(byStart.get(bucket)?.cost)),
    profit: buckets.map((bucket) => amount(byStart.get(bucket)?.profit)),
    margin: buckets.map((bucket) => byStart.get(bucket)?.margin ?? null),
  };
}

/** Revenue, cost and profit per bucket, and the margin per bucket, as two line charts. */
export function MarginSeries(props: MarginSeriesProps) {
  const { rows, groupBy, periodStart, periodEnd, currency, timezone } = props;
  const plural = GROUPINGS[groupBy].plural;
  const data = useMemo(
    () => points(rows, groupBy, bucketStarts(groupBy, periodStart, periodEnd, timezone)),
    [rows, groupBy, periodStart, periodEnd, timezone],
  );
  const money = useMemo(
    () => (value: number) => formatMoney(value.toFixed(2), currency),
    [currency],
  );
  const amounts = useMemo<Series[]>(
    () =>
      data
        ? [
            { label: "Revenue", values: data.sales, color: "#1f5fbf" },
            { label: "Cost", values: data.cost, color: "#8250df" },
            { label: "Profit", values: data.profit, color: "#116329" },
          ]
        : [],
    [data],
  );
  const margins = useMemo<Series[]>(
    () => (data ? [{ label: "Margin", values: data.margin, color: "#9a6700" }] : []),
    [data],
  );
  if (!data) {
    return (
      <p className="notice profit-series__cut">
        This period has more {plural} than the {MAX_LIMIT} the API lists, so no chart: the table
        holds the {MAX_LIMIT} most profitable. Pick a shorter period or a coarser grouping to see
        them all in time order.
      </p>
    );
  }
  return (
    <div className="profit-series">
      <TimeSeriesChart
        title={`Revenue, cost and profit per ${groupBy.toLowerCase()}`}
        labels={data.labels}
        series={amounts}
        format={money}
      />
      <TimeSeriesChart
        title={`Margin per ${groupBy.toLowerCase()}`}
        labels={data.labels}
        series={margins}
        format={formatPercentValue}
      />
    </div>
  );
}

function formatPercentValue(value: number): string {
  return formatPercent(value);
}
