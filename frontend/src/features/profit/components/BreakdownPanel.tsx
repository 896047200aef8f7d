import { useId } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";

export interface BreakdownPanelProps<T> {
  title: string;
  /** The exported file's name, without ".csv". */
  filename: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowHeader: string;
  /** What the numbers count, under the table. */
  note: string;
}

/** One of the profit breakdowns: its title, its export and its table. */
export function BreakdownPanel<T>(props: BreakdownPanelProps<T>) {
  const { title, filename, columns, rows } = props;
  const id = useId();
  return (
    <section className="panel profit-breakdown" aria-labelledby={id}>
      <div className="profit-breakdown__bar">
        <h2 id={id}>{title}</h2>
        <ExportCsvButton filename={filename} build={async () => columnsToCsv(columns, rows)} />
      </div>
      <DataTable
        caption={title}
        columns={columns}
        rows={rows}
        rowKey={props.rowKey}
        rowHeader={props.rowHeader}
      />
      <p className="profit-note">{props.note}</p>
    </section>
  );
}
