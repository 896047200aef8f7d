// An import as the page shows it, whichever API it came from: the REST answers of an upload
// and of GET /api/v1/imports/{id} (snake_case, a report with `created`), and GraphQL's
// `imports` (camelCase, enums in capitals) are both turned into this one shape.
import type { ImportRowFragment } from "@/gql/graphql";

export type ImportState = "queued" | "running" | "succeeded" | "failed";
export type ImportSource = "upload" | "cli" | "sheet";

export interface RowError {
  /** Physical line in the file (1 is the header's first). */
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportReport {
  rowsRead: number;
  imported: number;
  skippedDuplicate: number;
  failed: number;
  ordersCreated: number;
  ordersExtended: number;
  newProducts: number;
  newCategories: number;
  newCustomers: number;
  newReps: number;
  /** The first 100 row errors, in file order. */
  errors: RowError[];
}

export interface ImportRecord {
  id: string;
  source: ImportSource;
  fileName: string | null;
  state: ImportState;
  dryRun: boolean;
  rowsRead: number;
  rowsImported: number;
  rowsSkipped: number;
  rowsFailed: number;
  /** 0-100: how far through the file the committed batches are. */
  percent: number;
  createdAt: string;
  finishedAt: string | null;
  report: ImportReport | null;
  /** Why a failed import stopped. */
  error: string | null;
}

/** The REST report (api/rest/imports.py `Report`). */
export interface RestReport {
  rows_read: number;
  imported: number;
  skipped_duplicate: number;
  failed: number;
  orders_created: number;
  orders_extended: number;
  created: Partial<Record<"products" | "categories" | "customers" | "reps", number>>;
  errors: RowError[];
}

/** The REST import (api/rest/imports.py `ImportStatus`). */
export interface RestImport {
  id: number;
  source: ImportSource;
  file_name: string | null;
  state: ImportState;
  dry_run: boolean;
  rows_read: number;
  rows_imported: number;
  rows_skipped: number;
  rows_failed: number;
  percent: number;
  created_at: string;
  finished_at: string | null;
  report: RestReport | null;
  error: string | null;
}

export function fromRest(row: RestImport): ImportRecord {
  const report = row.report;
  return {
    id: String(row.id),
    source: row.source,
    fileName: row.file_name,
    state: row.state,
    dryRun: row.dry_run,
    rowsRead: row.rows_read,
    rowsImported: row.rows_imported,
    rowsSkipped: row.rows_skipped,
    rowsFailed: row.rows_failed,
    percent: row.percent,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error,
    report: report && {
      rowsRead: report.rows_read,
      imported: report.imported,
      skippedDuplicate: report.skipped_duplicate,
      failed: report.failed,
      ordersCreated: report.orders_created,
      ordersExtended: report.orders_extended,
      newProducts: report.created.products ?? 0,
      newCategories: report.created.categories ?? 0,
      newCustomers: report.created.customers ?? 0,
      newReps: report.created.reps ?? 0,
      errors: report.errors,
    },
  };
}

export function fromGraphQL(row: ImportRowFragment): ImportRecord {
  const { report } = row;
  return {
    id: row.id,
    source: row.source.toLowerCase() as ImportSource,
    fileName: row.fileName ?? null,
    state: row.state.toLowerCase() as ImportState,
    dryRun: row.dryRun,
    rowsRead: row.rowsRead,
    rowsImported: row.rowsImported,
    rowsSkipped: row.rowsSkipped,
    rowsFailed: row.rowsFailed,
    percent: row.percent,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt ?? null,
    error: row.error ?? null,
    report: report
      ? {
          ...report,
          errors: report.errors.map((e) => ({ ...e, column: e.column ?? null, value: e.value ?? null })),
        }
      : null,
  };
}

/** Queued or running: its page follows it. */
export function isActive(state: ImportState): boolean {
  return state === "queued" || state === "running";
}

export const SOURCE_LABELS: Record<ImportSource, string> = {
  upload: "Upload",
  cli: "Command line",
  sheet: "Google Sheet",
};

/** Where every row error of an import is, as CSV (not only the report's first 100). */
export function errorsCsvPath(id: string): string {
  return `/api/v1/imports/${encodeURIComponent(id)}/errors.csv`;
}
