import type { ReactNode } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";

export interface ExportableTableProps<T> {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowHeader: string;
  /** The CSV file's name, without ".csv". */
  filename: string;
  /** What a reader should know about the numbers, under the table. */
  note?: ReactNode;
}

/** A whole (unpaged) table with its CSV export: every row is on the page already. */
export function ExportableTable<T>({ filename, note, ...table }: ExportableTableProps<T>) {
  const { columns, rows } = table;
  return (
    <DataTable
      {...table}
      footer={
        <p className="overview__table-footer">
          {note && <span>{note}</span>}
          <ExportCsvButton filename={filename} build={async () => columnsToCsv(columns, rows)} />
        </p>
      }
    />
  );
}
