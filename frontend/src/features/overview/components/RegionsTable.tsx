import { useMemo } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";
import type { Region } from "@/features/overview/api/get-overview";
import { formatChange, formatCount, formatMoney, formatPercent } from "@/lib/format";

import { LiveValue } from "./LiveValue";

type RegionRow = Region & {
  /** The region's share of the listed regions' revenue, in %; null when none sold. */
  share: number | null;
};

/** Each region's share of the total, in % (a ratio of amounts: floats are fine here). */
function withShares(regions: readonly Region[]): RegionRow[] {
  const total = regions.reduce((sum, region) => sum + Number(region.revenue), 0);
  return regions.map((region) => ({
    ...region,
    share: total > 0 ? (Number(region.revenue) / total) * 100 : null,
  }));
}

function regionColumns(currency: string): Column<RegionRow>[] {
  const money = (amount: string) => formatMoney(amount, currency);
  return [
    { id: "region", header: "Region", value: (row) => row.region },
    {
      id: "revenue",
      header: "Revenue",
      value: (row) => row.revenue,
      cell: (row) => <LiveValue value={row.revenue}>{money(row.revenue)}</LiveValue>,
      numeric: true,
    },
    {
      id: "share",
      header: "Share %",
      value: (row) => (row.share == null ? null : Number(row.share.toFixed(4))),
      cell: (row) => formatPercent(row.share),
      numeric: true,
    },
    {
      id: "orders",
      header: "Orders",
      value: (row) => row.orders,
      cell: (row) => formatCount(row.orders),
      numeric: true,
    },
    {
      id: "customers",
      header: "Customers",
      value: (row) => row.customers,
      cell: (row) => formatCount(row.customers),
      numeric: true,
    },
    {
      id: "profit",
      header: "Profit",
      value: (row) => row.profit,
      cell: (row) => money(row.profit),
      numeric: true,
    },
    {
      id: "margin",
      header: "Margin %",
      value: (row) => row.profitMargin,
      cell: (row) => formatPercent(row.profitMargin),
      numeric: true,
    },
    {
      id: "growth",
      header: "Growth %",
      value: (row) => row.growth,
      cell: (row) => formatChange(row.growth)?.text ?? "—",
      numeric: true,
    },
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
    <DataTable
      caption="Regions"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.region}
      rowHeader="region"
      footer={
        <p className="overview__table-footer">
          <span>Regions are the customers&rsquo;. Growth: revenue vs the previous period.</span>
          <ExportCsvButton filename={filename} build={async () => columnsToCsv(columns, rows)} />
        </p>
      }
    />
  );
}
