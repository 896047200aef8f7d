import { useMemo } from "react";

import {
  changeColumn,
  countColumn,
  moneyColumn,
  percentColumn,
} from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { Region } from "@/features/overview/api/get-overview";

import { highlighted } from "./columns";
import { ExportableTable } from "./ExportableTable";

type RegionRow = Region & {
  /** The region's share of the listed regions' revenue, in %; null when none sold. */
  share: number | null;
};

/** Each region's share of the total, in % (a ratio of amounts: floats are fine here). */
function withShares(regions: readonly Region[]): RegionRow[] {
  const total = regions.reduce((sum, region) => sum + Number(region.revenue), 0);
  return regions.map((region) => ({
    ...region,
    share: total > 0 ? Number(((Number(region.revenue) / total) * 100).toFixed(4)) : null,
  }));
}

function regionColumns(currency: string): Column<RegionRow>[] {
  return [
    { id: "region", header: "Region", value: (row) => row.region },
    highlighted(moneyColumn("revenue", "Revenue", (row) => row.revenue, currency)),
    percentColumn("share", "Share %", (row) => row.share),
    countColumn("orders", "Orders", (row) => row.orders),
    countColumn("customers", "Customers", (row) => row.customers),
    moneyColumn("profit", "Profit", (row) => row.profit, currency),
    percentColumn("margin", "Margin %", (row) => row.profitMargin),
    changeColumn("growth", "Growth %", (row) => row.growth),
  ];
}

export interface RegionsTableProps {
  regions: readonly Region[];
  currency: string;
  /** The CSV file's name, without ".csv". */
  filename: string;
}

/** Sales per customer region, with each region's share of the revenue. */
export function RegionsTable({ regions, currency, filename }: RegionsTableProps) {
  const columns = useMemo(() => regionColumns(currency), [currency]);
  const rows = useMemo(() => withShares(regions), [regions]);
  return (
    <ExportableTable
      caption="Regions"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.region}
      rowHeader="region"
      filename={filename}
      note="Regions are the customers'. Growth: revenue vs the previous period."
    />
  );
}
