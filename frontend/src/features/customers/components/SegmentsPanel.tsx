import { useId } from "react";

import { BarList } from "@/components/charts/BarList";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { DataTable } from "@/components/table/DataTable";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { SegmentSummary } from "@/features/customers/api/get-customers";
import { SEGMENT_LABELS } from "@/features/customers/utils/segments";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";

function segmentColumns(currency: string): Column<SegmentSummary>[] {
  const money = (amount: string) => formatMoney(amount, currency);
  return [
    { id: "segment", header: "Segment", value: (row) => SEGMENT_LABELS[row.segment] },
    {
      id: "customers",
      header: "Customers",
      value: (row) => row.customerCount,
      cell: (row) => formatCount(row.customerCount),
      numeric: true,
    },
    {
      id: "share",
      header: "Share (%)",
      value: (row) => row.percentage,
      cell: (row) => formatPercent(row.percentage),
      numeric: true,
    },
    {
      id: "lifetimeValue",
      header: "Lifetime value",
      value: (row) => row.totalRevenue,
      cell: (row) => money(row.totalRevenue),
      numeric: true,
    },
    {
      id: "averageLifetimeValue",
      header: "Avg lifetime value",
      value: (row) => row.averageLifetimeValue,
      cell: (row) => money(row.averageLifetimeValue),
      numeric: true,
    },
    {
      id: "averageOrderValue",
      header: "AOV",
      value: (row) => row.averageOrderValue,
      cell: (row) => money(row.averageOrderValue),
      numeric: true,
    },
  ];
}

/** How the customers split into RFM segments (as of the last segment refresh). */
export function SegmentsPanel({ rows, currency }: { rows: SegmentSummary[]; currency: string }) {
  const id = useId();
  const columns = segmentColumns(currency);
  const total = rows.reduce((sum, row) => sum + row.customerCount, 0);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <PanelHeader
        id={`${id}-title`}
        title="Customer segments"
        note={
          <>
            All customers as of the last segment refresh (<code>shopx refresh --full</code>),
            not tied to the period; lifetime values are over all time.
          </>
        }
      >
        <ExportCsvButton
          filename="customer-segments"
          build={async () => columnsToCsv(columns, rows)}
        />
      </PanelHeader>
      {total === 0 ? (
        <EmptyState title="No customers yet">
          Segments appear once customers are imported (<code>shopx import FILE.csv</code>).
        </EmptyState>
      ) : (
        <div className="segments">
          <BarList
            title="Customers per segment"
            bars={rows.map((row) => ({
              key: row.segment,
              label: SEGMENT_LABELS[row.segment],
              weight: row.customerCount,
              display: `${formatCount(row.customerCount)} · ${formatPercent(row.percentage)}`,
            }))}
          />
          <DataTable
            caption="Segments"
            columns={columns}
            rows={rows}
            rowKey={(row) => row.segment}
            rowHeader="segment"
          />
        </div>
      )}
    </section>
  );
}
