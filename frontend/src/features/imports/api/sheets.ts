// The registered Google Sheets (REST, /api/v1/sheets and /api/v1/admin/connect-sheets):
// reads for analysts and admins, the rest for admins.
import { restJson } from "@/lib/rest";

import type { DateOrder } from "./upload-csv";

export type SheetState = "never" | "queued" | "running" | "succeeded" | "failed";

export interface SheetReport {
  rows_read: number;
  imported: number;
  skipped_duplicate: number;
  failed: number;
}

export interface Sheet {
  id: number;
  name: string;
  kind: "csv_url" | "service_account";
  /** The CSV URL, or the spreadsheet key and worksheet (never a credential). */
  source: string;
  date_order: DateOrder | null;
  created_at: string;
  last_synced_at: string | null;
  last_import_id: number | null;
  last_state: SheetState;
  last_error: string | null;
  last_report: SheetReport | null;
}

/** What connect-sheets takes: a CSV URL, or a private sheet through a service account. */
export type ConnectSheet = { name: string; date_order?: DateOrder } & (
  | { csv_url: string }
  | { spreadsheet: string; worksheet: string | null; service_account: Record<string, unknown> }
);

export async function listSheets(): Promise<Sheet[]> {
  return (await restJson<{ sheets: Sheet[] }>("/api/v1/sheets")).sheets;
}

export function connectSheet(body: ConnectSheet): Promise<Sheet> {
  return restJson<Sheet>("/api/v1/admin/connect-sheets", "POST", body);
}

export async function removeSheet(id: number): Promise<void> {
  await restJson<null>(`/api/v1/sheets/${id}`, "DELETE");
}

/** Starts a sync: its progress and report are those of the import it gives. */
export function syncSheet(id: number): Promise<{ sheet: Sheet; import_id: number }> {
  return restJson(`/api/v1/sheets/${id}/sync`, "POST");
}
