import { useMemo } from "react";

import {
  changeColumn,
  countColumn,
  moneyColumn,
  percentColumn,
} from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { TopProduct } from "@/features/overview/api/get-overview";

import { highlighted } from "./columns";
import { ExportableTable } from "./ExportableTable";

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
    highlighted(moneyColumn("revenue", "Item sales", (row) => row.revenue, currency)),
    countColumn("units", "Units", (row) => row.unitsSold),
    percentColumn("margin", "Margin %", (row) => row.profitMargin),
    changeColumn("growth", "Growth %", (row) => row.growthRate),
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
    <ExportableTable
      caption="Top products by item sales"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.product.id}
      rowHeader="product"
      filename={filename}
      note="Growth: item sales vs the previous period."
    />
  );
}
