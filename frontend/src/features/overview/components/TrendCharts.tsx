import { useCallback, useMemo } from "react";

import { TimeSeriesChart, type Series } from "@/components/charts/TimeSeriesChart";
import type { TrendPoint } from "@/features/overview/api/get-overview";
import { formatCount, formatMoney, formatMoneyCompact } from "@/lib/format";

import { LiveValue } from "./LiveValue";

const CURRENT = "#1f5fbf";
/** 4.6:1 on white: the dashed line stays visible next to the current one. */
const COMPARED = "#6e7781";

/** A chart value (a float of an exact decimal) back to a decimal with its cents. */
function cents(value: number): string {
  return value.toFixed(2);
}

function amount(value: string | null | undefined): number | null {
  return value == null ? null : Number(value);
}

export interface TrendChartsProps {
  points: readonly TrendPoint[];
  currency: string;
  /** What the dashed series is: "Previous period" or "Previous year". */
  comparedLabel: string;
}

/** Revenue and orders per bucket, each with the comparison dashed. */
export function TrendCharts({ points, currency, comparedLabel }: TrendChartsProps) {
  const labels = useMemo(() => points.map((point) => point.label), [points]);
  const revenue = useMemo<Series[]>(
    () => [
      { label: "Revenue", values: points.map((p) => amount(p.value)), color: CURRENT },
      {
        label: `Revenue, ${comparedLabel.toLowerCase()}`,
        values: points.map((p) => amount(p.previousValue)),
        color: COMPARED,
        dashed: true,
      },
    ],
    [points, comparedLabel],
  );
  const orders = useMemo<Series[]>(
    () => [
      { label: "Orders", values: points.map((p) => p.orderCount), color: CURRENT },
      {
        label: `Orders, ${comparedLabel.toLowerCase()}`,
        values: points.map((p) => p.previousOrderCount ?? null),
        color: COMPARED,
        dashed: true,
      },
    ],
    [points, comparedLabel],
  );
  const money = useCallback((value: number) => formatMoney(cents(value), currency), [currency]);
  const moneyAxis = useCallback((value: number) => formatMoneyCompact(value, currency), [currency]);
  const count = useCallback((value: number) => formatCount(value), []);
  return (
    <>
      <section className="panel" aria-label="Revenue trend">
        <LiveValue value={JSON.stringify(revenue)} block>
          <TimeSeriesChart
            title="Revenue"
            labels={labels}
            series={revenue}
            format={money}
            axisFormat={moneyAxis}
          />
        </LiveValue>
      </section>
      <section className="panel" aria-label="Orders trend">
        <LiveValue value={JSON.stringify(orders)} block>
          <TimeSeriesChart title="Orders" labels={labels} series={orders} format={count} />
        </LiveValue>
      </section>
    </>
  );
}
