import { Link } from "react-router-dom";

import { moneyColumn, percentColumn } from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { MarginRow } from "@/features/profit/api/get-profit";
import { GROUPINGS, groupLabel } from "@/features/profit/lib/groupings";
import type { MarginGroupBy } from "@/gql/graphql";

/** The margin table's columns; the export writes the exact amounts and percentages. */
export function marginColumns(groupBy: MarginGroupBy, currency: string): Column<MarginRow>[] {
  const grouping = GROUPINGS[groupBy];
  const sortable = { sortable: true };
  const money = (id: string, header: string, amount: (row: MarginRow) => string) =>
    moneyColumn(id, header, amount, currency, sortable);
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
    money("sales", grouping.itemSales ? "Item sales" : "Revenue", (row) => row.revenue),
    money("cost", "Cost", (row) => row.cost),
    money("profit", "Profit", (row) => row.profit),
    percentColumn("margin", "Margin", (row) => row.margin, sortable),
    percentColumn("contribution", "Share of profit", (row) => row.contribution, sortable),
  ];
}
