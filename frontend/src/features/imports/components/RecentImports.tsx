import { useId, useMemo } from "react";

import { countColumn } from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import { DataTable } from "@/components/table/DataTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { formatCount } from "@/lib/format";

import { SOURCE_LABELS, type ImportRecord } from "../lib/imports";
import { StateBadge } from "./StateBadge";

export interface RecentImportsProps {
  imports: readonly ImportRecord[];
  totalCount: number;
  timezone: string;
  /** The import whose details are shown, if any. */
  selected: string | null;
  onSelect: (record: ImportRecord) => void;
}

function importColumns(
  timezone: string,
  selected: string | null,
  onSelect: (record: ImportRecord) => void,
): Column<ImportRecord>[] {
  return [
    {
      id: "file",
      header: "Import",
      value: (r) => r.fileName ?? r.id,
      cell: (r) => (
        <>
          <button
            type="button"
            className="import-link"
            aria-pressed={selected === r.id}
            aria-label={`Show import ${r.id}${r.fileName ? ` (${r.fileName})` : ""}`}
            onClick={() => onSelect(r)}
          >
            {r.fileName ?? `Import ${r.id}`}
          </button>
          <span className="table__sub">
            #{r.id}
            {r.dryRun && " · dry run"}
          </span>
        </>
      ),
    },
    {
      id: "when",
      header: "When",
      value: (r) => r.createdAt,
      cell: (r) => <RelativeTime at={r.createdAt} timezone={timezone} />,
    },
    { id: "source", header: "Source", value: (r) => r.source, cell: (r) => SOURCE_LABELS[r.source] },
    { id: "state", header: "State", value: (r) => r.state, cell: (r) => <StateBadge state={r.state} /> },
    countColumn("read", "Rows read", (r) => r.rowsRead),
    countColumn("imported", "Imported", (r) => r.rowsImported),
    countColumn("skipped", "Skipped (already imported)", (r) => r.rowsSkipped),
    countColumn("failed", "Failed", (r) => r.rowsFailed),
  ];
}

/** The latest imports (uploads, the command line, sheet syncs); one opens its report. */
export function RecentImports({ imports, totalCount, timezone, selected, onSelect }: RecentImportsProps) {
  const id = useId();
  const columns = useMemo(() => importColumns(timezone, selected, onSelect), [timezone, selected, onSelect]);
  return (
    <section className="panel import-recent" aria-labelledby={id}>
      <PanelHeader
        id={id}
        title="Recent imports"
        note={`Newest first${totalCount > imports.length ? `: the latest ${formatCount(imports.length)} of ${formatCount(totalCount)}` : ""}. Open one for its report.`}
      />
      {imports.length === 0 ? (
        <EmptyState title="No imports yet">
          Files uploaded here, imported with <code>shopx import</code> or synced from a Google
          Sheet are listed here with their reports.
        </EmptyState>
      ) : (
        <DataTable<ImportRecord>
          caption="Recent imports"
          columns={columns}
          rows={imports}
          rowKey={(r) => r.id}
          rowHeader="file"
        />
      )}
    </section>
  );
}
