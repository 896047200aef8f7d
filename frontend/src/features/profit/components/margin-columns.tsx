import { Link } from "react-router-dom";

import type { Column } from "@/components/table/columns";
import type { MarginRow } from "@/features/profit/api/get-profit";
import { GROUPINGS, groupLabel } from "@/features/profit/lib/groupings";
import type { MarginGroupBy } from "@/gql/graphql";
import { formatMoney, formatPercent } from "@/lib/format";

/** The margin table's columns; the export writes the exact amounts and percentages. */
export function marginColumns(groupBy: MarginGroupBy, currency: string): Column<MarginRow>[] {
  const grouping = GROUPINGS[groupBy];
  const money = (amount: string) => formatMoney(amount, currency);
  return [
    {
      id: "group",
      header: grouping.label,
      // Calendar buckets export their first day, which spreadsheets read as a date.
      value: (row) => (grouping.time ? row.groupId : row.groupName),
      cell: (row) => {
        const label = groupLabel(groupBy, row.groupName);
        return grouping.link ? <Link to={grouping.link(row.groupId)}>{label}</Link> : label;
      },
      sortable: true,
    },
    {
      id: "sales",
      header: grouping.itemSales ? "Item sales" : "Revenue",
      value: (row) => row.revenue,
      cell: (row) => money(row.revenue),
      numeric: true,
      sortable: true,
    },
    {
      id: "cost",
      header: "Cost",
      value: (row) => row.cost,
      cell: (row) => money(row.cost),
      numeric: true,
      sortable: true,
    },
    {
      id: "profit",
      header: "Profit",
      value: (row) => row.profit,
      cell: (row) => money(row.profit),
      numeric: true,
      sortable: true,
    },
    {
      id: "margin",
      header: "Margin",
      value: (row) => row.margin,
      cell: (row) => formatPercent(row.margin),
      numeric: true,
      sortable: true,
    },
    {
      id: "contribution",
      header: "Share of profit",
      value: (row) => row.contribution,
      cell: (row) => formatPercent(row.contribution),
      numeric: true,
      sortable: true,
    },
  ];
}
