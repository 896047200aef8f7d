import { useMemo } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";
import type { TopRep } from "@/features/overview/api/get-overview";
import { formatCount, formatMoney } from "@/lib/format";

import { LiveValue } from "./LiveValue";

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
    {
      id: "sales",
      header: "Sales",
      value: (row) => row.totalSales,
      cell: (row) => (
        <LiveValue value={row.totalSales}>{formatMoney(row.totalSales, currency)}</LiveValue>
      ),
      numeric: true,
    },
    {
      id: "orders",
      header: "Orders",
      value: (row) => row.totalOrders,
      cell: (row) => formatCount(row.totalOrders),
      numeric: true,
    },
    {
      id: "commission",
      header: "Commission",
      value: (row) => row.commissionEarned,
      cell: (row) => formatMoney(row.commissionEarned, currency),
      numeric: true,
    },
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
    <DataTable
      caption="Top sales reps"
      columns={columns}
      rows={rows}
      rowKey={(row) => row.salesRep.id}
      rowHeader="rep"
      footer={
        <p className="overview__table-footer">
          <ExportCsvButton filename={filename} build={async () => columnsToCsv(columns, rows)} />
        </p>
      }
    />
  );
}
