import { Link } from "react-router-dom";

import { countColumn, moneyColumn, percentColumn } from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { ProductProfitRow, SegmentProfitRow } from "@/features/profit/api/get-profit";
import { groupLabel } from "@/features/profit/lib/groupings";

export function segmentColumns(currency: string): Column<SegmentProfitRow>[] {
  return [
    {
      id: "segment",
      header: "Segment",
      value: (row) => row.segment,
      cell: (row) => groupLabel("CUSTOMER_SEGMENT", row.segment),
    },
    countColumn("orders", "Orders", (row) => row.orders),
    moneyColumn("revenue", "Revenue", (row) => row.revenue, currency),
    moneyColumn("cost", "Cost", (row) => row.cost, currency),
    moneyColumn("discount", "Discounts", (row) => row.discount, currency),
    moneyColumn("profit", "Profit", (row) => row.profit, currency),
    percentColumn("margin", "Margin", (row) => row.margin),
  ];
}

export function productColumns(currency: string): Column<ProductProfitRow>[] {
  return [
    { id: "rank", header: "#", value: (row) => row.rank, numeric: true },
    {
      id: "product",
      header: "Product",
      value: (row) => row.product.name,
      cell: (row) => (
        <Link to={`/products/${encodeURIComponent(row.product.id)}`}>{row.product.name}</Link>
      ),
    },
    { id: "sku", header: "SKU", value: (row) => row.product.sku },
    moneyColumn("sales", "Item sales", (row) => row.revenue, currency),
    countColumn("units", "Units", (row) => row.unitsSold),
    moneyColumn("profit", "Profit", (row) => row.profit, currency),
    percentColumn("margin", "Margin", (row) => row.profitMargin),
  ];
}
