import { useId, useMemo } from "react";

import { TimeSeriesChart } from "@/components/charts/TimeSeriesChart";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { RepTrendPoint } from "@/features/reps/api/get-rep";
import { GRANULARITIES, type GranularityChoice } from "@/features/reps/utils/granularity";
import { formatMoney } from "@/lib/format";

const TREND_COLUMNS: Column<RepTrendPoint>[] = [
  { id: "bucket", header: "Bucket", value: (point) => point.label },
  { id: "start", header: "Start (UTC)", value: (point) => point.timestamp },
  { id: "sales", header: "Sales", value: (point) => point.value },
  { id: "orders", header: "Orders", value: (point) => point.orderCount },
  { id: "customers", header: "Customers", value: (point) => point.customerCount },
];

export interface RepTrendPanelProps {
  trend: RepTrendPoint[];
  currency: string;
  repId: string;
  granularity: GranularityChoice;
  onGranularityChange: (granularity: GranularityChoice) => void;
}

/** The rep's sales per bucket over the period (the chart's numbers also as a table). */
export function RepTrendPanel(props: RepTrendPanelProps) {
  const { trend, currency, granularity, onGranularityChange } = props;
  const id = useId();
  const labels = useMemo(() => trend.map((point) => point.label), [trend]);
  const series = useMemo(
    () => [
      {
        label: "Sales",
        values: trend.map((point) => (point.value == null ? null : Number(point.value))),
        color: "#1f5fbf",
      },
    ],
    [trend],
  );
  const format = useMemo(
    () => (value: number) => formatMoney(value.toFixed(2), currency),
    [currency],
  );
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <PanelHeader id={`${id}-title`} title="Sales trend" note="Buckets in the business time zone.">
        <label htmlFor={`${id}-granularity`}>Buckets</label>
        <select
          id={`${id}-granularity`}
          value={granularity}
          onChange={(event) => onGranularityChange(event.target.value as GranularityChoice)}
        >
          {GRANULARITIES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <ExportCsvButton
          filename={`sales-rep-${props.repId}-trend`}
          build={async () => columnsToCsv(TREND_COLUMNS, trend)}
        />
      </PanelHeader>
      <TimeSeriesChart title="Sales per bucket" labels={labels} series={series} format={format} />
    </section>
  );
}
