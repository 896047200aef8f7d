import { DataTable } from "@/components/table/DataTable";
import type { Column } from "@/components/table/columns";
import { formatCount } from "@/lib/format";

import type { RowError } from "../lib/imports";

const COLUMNS: Column<RowError>[] = [
  { id: "line", header: "Line", value: (e) => e.line, cell: (e) => formatCount(e.line), numeric: true },
  { id: "column", header: "Column", value: (e) => e.column, cell: (e) => e.column ?? "(whole line)" },
  {
    id: "value",
    header: "Value",
    value: (e) => e.value,
    cell: (e) => (e.value === null ? "—" : <code className="import-errors__value">{e.value}</code>),
  },
  { id: "reason", header: "Reason", value: (e) => e.reason },
];

/** The report's row errors (its first 100), in file order: where each is and why. */
export function RowErrorsTable({ errors, failed }: { errors: readonly RowError[]; failed: number }) {
  const caption =
    failed > errors.length
      ? `Row errors (the first ${formatCount(errors.length)} of ${formatCount(failed)} failed rows)`
      : "Row errors";
  return (
    <div className="import-errors">
      <DataTable<RowError>
        caption={caption}
        columns={COLUMNS}
        rows={errors}
        rowKey={(e) => `${e.line}:${e.column ?? ""}:${e.reason}`}
        rowHeader="line"
      />
    </div>
  );
}
