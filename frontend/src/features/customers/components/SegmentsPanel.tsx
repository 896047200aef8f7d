import { useId } from "react";

import { BarList } from "@/components/charts/BarList";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { DataTable } from "@/components/table/DataTable";
import { countColumn, moneyColumn, percentColumn } from "@/components/table/column-kinds";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { SegmentSummary } from "@/features/customers/api/get-customers";
import { SEGMENT_LABELS } from "@/features/customers/utils/segments";
import { formatCount, formatPercent } from "@/lib/format";

function segmentColumns(currency: string): Column<SegmentSummary>[] {
  return [
    { id: "segment", header: "Segment", value: (row) => SEGMENT_LABELS[row.segment] },
    countColumn("customers", "Customers", (row) => row.customerCount),
    percentColumn("share", "Share (%)", (row) => row.percentage),
    moneyColumn("lifetimeValue", "Lifetime value", (row) => row.totalRevenue, currency),
    moneyColumn(
      "averageLifetimeValue",
      "Avg lifetime value",
      (row) => row.averageLifetimeValue,
      currency,
    ),
    moneyColumn("averageOrderValue", "AOV", (row) => row.averageOrderValue, currency),
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
