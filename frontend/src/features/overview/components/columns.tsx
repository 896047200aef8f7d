import type { Column } from "@/components/table/columns";
import { formatChange } from "@/lib/format";

import { LiveValue } from "./LiveValue";

/** A signed change in percent ("+12.3%"); "—" without a comparison base. */
export function changeColumn<T>(
  id: string,
  header: string,
  change: (row: T) => number | null | undefined,
): Column<T> {
  const cell = (row: T) => formatChange(change(row))?.text ?? "—";
  return { id, header, value: change, cell, numeric: true };
}

/** ``column`` with its cells highlighted when a live update changes their value. */
export function highlighted<T>(column: Column<T>): Column<T> {
  return {
    ...column,
    cell: (row) => (
      <LiveValue value={String(column.value(row))}>
        {column.cell ? column.cell(row) : column.value(row)}
      </LiveValue>
    ),
  };
}
