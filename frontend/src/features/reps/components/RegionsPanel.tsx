import { useId } from "react";

import { BarList } from "@/components/charts/BarList";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { DataTable } from "@/components/table/DataTable";
import {
  changeColumn,
  countColumn,
  moneyColumn,
  percentColumn,
} from "@/components/table/column-kinds";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { RegionRow } from "@/features/reps/api/get-reps";
import { formatMoney } from "@/lib/format";

function regionColumns(currency: string): Column<RegionRow>[] {
  return [
    { id: "region", header: "Region", value: (row) => row.region },
    moneyColumn("revenue", "Revenue", (row) => row.revenue, currency),
    countColumn("orders", "Orders", (row) => row.orders),
    countColumn("customers", "Customers", (row) => row.customers),
    moneyColumn("profit", "Profit", (row) => row.profit, currency),
    percentColumn("margin", "Margin (%)", (row) => row.profitMargin),
    changeColumn("growth", "Growth (%)", (row) => row.growth),
  ];
}

/** Sales per customer region in the period, with growth against the period before. */
export function RegionsPanel({ rows, currency }: { rows: RegionRow[]; currency: string }) {
  const id = useId();
  const columns = regionColumns(currency);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <PanelHeader
        id={`${id}-title`}
        title="Regional performance"
        note={
          "By the customer's region (not the rep's); growth compares revenue with the previous " +
          "period of the same length (—: no revenue there then)."
        }
      >
        <ExportCsvButton
          filename="regional-performance"
          build={async () => columnsToCsv(columns, rows)}
        />
      </PanelHeader>
      {rows.length === 0 ? (
        <EmptyState title="No regional sales">
          No region sold anything in this period or the one before. Pick a longer period above.
        </EmptyState>
      ) : (
        <div className="regions">
          <BarList
            title="Revenue per region"
            bars={rows.map((row) => ({
              key: row.region,
              label: row.region,
              weight: Number(row.revenue),
              display: formatMoney(row.revenue, currency),
            }))}
          />
          <DataTable
            caption="Regions by revenue"
            columns={columns}
            rows={rows}
            rowKey={(row) => row.region}
            rowHeader="region"
          />
        </div>
      )}
    </section>
  );
}
