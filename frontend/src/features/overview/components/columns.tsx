import type { Column } from "@/components/table/columns";

import { LiveValue } from "./LiveValue";

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
