import type { ReactNode } from "react";

import { toCsv, type CsvValue } from "@/lib/csv";

/**
 * One column of a table, for the screen and for its CSV export alike: ``value`` is the raw
 * value (an exact decimal string for money) that the export writes and ``cell`` how the
 * screen shows it (formatted; defaults to the raw value).
 */
export interface Column<T> {
  id: string;
  header: string;
  value: (row: T) => CsvValue;
  cell?: (row: T) => ReactNode;
  numeric?: boolean;
  /** The server can sort by this column (the page handles the sort). */
  sortable?: boolean;
}

export interface Sort {
  id: string;
  desc: boolean;
}

/** The rows as CSV, one column per table column, raw values. */
export function columnsToCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  return toCsv(
    columns.map((column) => column.header),
    rows.map((row) => columns.map((column) => column.value(row))),
  );
}
