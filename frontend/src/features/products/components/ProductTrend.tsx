import { useMemo } from "react";

import { TimeSeriesChart, type Series } from "@/components/charts/TimeSeriesChart";
import { EmptyState } from "@/components/ui/EmptyState";
import type { ProductDetail } from "@/features/products/api/product-detail";
import type { TrendMetric } from "@/features/products/lib/view-params";
import { formatCount, formatMoney, formatMoneyCompact, formatPercent } from "@/lib/format";

type Point = ProductDetail["trends"][number];

const CURRENT = "#1f5fbf";
const PREVIOUS = "#8a5a00";

// Chart values are numbers (uPlot draws floats); the decimals arrive with two places, so a
// value shown again as money reads exactly as the API sent it.
const toNumber = (value: string | null | undefined) => (value == null ? null : Number(value));

function formatter(metric: TrendMetric, currency: string): (value: number) => string {
  if (metric.kind === "money") return (value) => formatMoney(value.toFixed(2), currency);
  if (metric.kind === "percent") return (value) => formatPercent(value);
  return (value) => formatCount(value);
}

/** Axis ticks: whole amounts, compact ("$30K"), so that they fit beside the plot. */
function axisFormatter(metric: TrendMetric, currency: string): (value: number) => string {
  if (metric.kind !== "money") return formatter(metric, currency);
  return (value) => formatMoneyCompact(value, currency);
}

/** The metric per bucket of the period, the previous period's same bucket dashed beside it. */
export function ProductTrend({
  points,
  metric,
  currency,
}: {
  points: readonly Point[];
  metric: TrendMetric;
  currency: string;
}) {
  const labels = useMemo(() => points.map((p) => p.label), [points]);
  const series = useMemo<Series[]>(
    () => [
      { label: metric.label, values: points.map((p) => toNumber(p.value)), color: CURRENT },
      {
        label: `${metric.label}, previous period`,
        values: points.map((p) => toNumber(p.previousValue)),
        color: PREVIOUS,
        dashed: true,
      },
    ],
    [points, metric.label],
  );
  const format = useMemo(() => formatter(metric, currency), [metric, currency]);
  const axisFormat = useMemo(() => axisFormatter(metric, currency), [metric, currency]);
  if (points.length === 0) {
    return <EmptyState title="No buckets in this period">Pick a longer period above.</EmptyState>;
  }
  return (
    <TimeSeriesChart
      title={`${metric.label} per bucket`}
      labels={labels}
      series={series}
      format={format}
      axisFormat={axisFormat}
    />
  );
}
