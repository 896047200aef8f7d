import { useMemo } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";
import type { TopProduct } from "@/features/overview/api/get-overview";
import { formatChange, formatCount, formatMoney, formatPercent } from "@/lib/format";

import { LiveValue } from "./LiveValue";

function productColumns(currency: string): Column<TopProduct>[] {
  return [
    { id: "rank", header: "#", value: (row) => row.rank },
    { id: "product", header: "Product", value: (row) => row.product.name },
    {
      id: "sku",
      header: "SKU",
      value: (row) => row.product.sku,
      cell: (row) => <span className="overview__sku">{row.product.sku}</span>,
    },
    {
      id: "revenue",
      header: "Item sales",
      value: (row) => row.revenue,
      cell: (row) => (
        <LiveValue value={row.revenue}>{formatMoney(row.revenue, currency)}</LiveValue>
      ),
      numeric: true,
    },
    {
      id: "units",
      header: "Units",
      value: (row) => row.unitsSold,
      cell: (row) => formatCount(row.unitsSold),
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
      value: (row) => row.growthRate,
      cell: (row) => formatChange(row.growthRate)?.text ?? "—",
      numeric: true,
    },
  ];
}

export interface TopProductsTableProps {
  rows: readonly TopProduct[];
  currency: string;
  /** The CSV file's name, without ".csv". */
  filename: string;
}

export function TopProductsTable({ rows, currency, filename }: TopProductsTableProps) {
  const columns = useMemo(() => productColumns(currency), [currency]);
  return (
    <DataTable
      caption="Top products by item sales"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.product.id}
      rowHeader="product"
      footer={
        <p className="overview__table-footer">
          <span>Growth: item sales vs the previous period.</span>
          <ExportCsvButton filename={filename} build={async () => columnsToCsv(columns, rows)} />
        </p>
      }
    />
  );
}
