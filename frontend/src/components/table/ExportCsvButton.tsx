import { useState } from "react";

import { downloadCsv } from "@/lib/csv";

export interface ExportCsvButtonProps {
  /** The file's name, without ".csv". */
  filename: string;
  /**
   * The whole table for the current query as CSV (every row, not just those loaded);
   * ``progress`` reports rows fetched so far for long exports (and why it is waiting, if).
   */
  build: (progress: (rows: number, total?: number, note?: string) => void) => Promise<string>;
  label?: string;
}

/** Downloads what a table holds, all its rows, as a CSV file. */
export function ExportCsvButton({ filename, build, label = "Export CSV" }: ExportCsvButtonProps) {
  const [state, setState] = useState<{ busy: boolean; note: string | null }>({
    busy: false,
    note: null,
  });
  const run = async () => {
    setState({ busy: true, note: "Preparing…" });
    try {
      const csv = await build((rows, total, note) => {
        const count = total
          ? `${rows.toLocaleString()} of ${total.toLocaleString()} rows`
          : `${rows.toLocaleString()} rows`;
        setState({ busy: true, note: note ? `${count}, ${note}` : count });
      });
      downloadCsv(`${filename}.csv`, csv);
      setState({ busy: false, note: null });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      setState({ busy: false, note: `Export failed: ${reason}. Try again.` });
    }
  };
  return (
    <span className="export">
      <button type="button" className="button" onClick={run} disabled={state.busy}>
        {label}
      </button>
      {state.note && (
        <span className="export__note" role="status">
          {state.note}
        </span>
      )}
    </span>
  );
}
