import { useMemo } from "react";

import { countColumn, moneyColumn } from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { TopRep } from "@/features/overview/api/get-overview";

import { highlighted } from "./columns";
import { ExportableTable } from "./ExportableTable";

function repColumns(currency: string): Column<TopRep>[] {
  return [
    { id: "rank", header: "#", value: (row) => row.rank, cell: (row) => row.rank ?? "—" },
    { id: "rep", header: "Rep", value: (row) => row.salesRep.name },
    {
      id: "region",
      header: "Region",
      value: (row) => row.salesRep.region,
      cell: (row) => row.salesRep.region ?? "—",
    },
    highlighted(moneyColumn("sales", "Sales", (row) => row.totalSales, currency)),
    countColumn("orders", "Orders", (row) => row.totalOrders),
    moneyColumn("commission", "Commission", (row) => row.commissionEarned, currency),
  ];
}

export interface TopRepsTableProps {
  rows: readonly TopRep[];
  currency: string;
  /** The CSV file's name, without ".csv". */
  filename: string;
}

export function TopRepsTable({ rows, currency, filename }: TopRepsTableProps) {
  const columns = useMemo(() => repColumns(currency), [currency]);
  return (
    <ExportableTable
      caption="Top sales reps"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.salesRep.id}
      rowHeader="rep"
      filename={filename}
    />
  );
}
