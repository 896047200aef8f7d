import { Link } from "react-router-dom";

import type { Column } from "@/components/table/columns";
import type { ProductProfitRow, SegmentProfitRow } from "@/features/profit/api/get-profit";
import { groupLabel } from "@/features/profit/lib/groupings";
import { formatCount } from "@/lib/format";

import { moneyColumns, percentColumn } from "./column-kinds";

export function segmentColumns(currency: string): Column<SegmentProfitRow>[] {
  const amount = moneyColumns<SegmentProfitRow>(currency);
  return [
    {
      id: "segment",
      header: "Segment",
      value: (row) => row.segment,
      cell: (row) => groupLabel("CUSTOMER_SEGMENT", row.segment),
    },
    {
      id: "orders",
      header: "Orders",
      value: (row) => row.orders,
      cell: (row) => formatCount(row.orders),
      numeric: true,
    },
    amount("revenue", "Revenue", (row) => row.revenue),
    amount("cost", "Cost", (row) => row.cost),
    amount("discount", "Discounts", (row) => row.discount),
    amount("profit", "Profit", (row) => row.profit),
    percentColumn("margin", "Margin", (row) => row.margin),
  ];
}

export function productColumns(currency: string): Column<ProductProfitRow>[] {
  const amount = moneyColumns<ProductProfitRow>(currency);
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
    amount("sales", "Item sales", (row) => row.revenue),
    {
      id: "units",
      header: "Units",
      value: (row) => row.unitsSold,
      cell: (row) => formatCount(row.unitsSold),
      numeric: true,
    },
    amount("profit", "Profit", (row) => row.profit),
    percentColumn("margin", "Margin", (row) => row.profitMargin),
  ];
}
