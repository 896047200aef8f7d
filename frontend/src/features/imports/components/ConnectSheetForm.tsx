import { useId, useRef, useState, type FormEvent } from "react";

import { connectSheet, type ConnectSheet } from "../api/sheets";
import type { DateOrder } from "../api/upload-csv";

interface Fields {
  name: string;
  csvUrl: string;
  spreadsheet: string;
  worksheet: string;
  dateOrder: "" | DateOrder;
}

const EMPTY: Fields = { name: "", csvUrl: "", spreadsheet: "", worksheet: "", dateOrder: "" };

/** A service-account key file's JSON object, or why it is not one. */
async function readServiceAccount(file: File): Promise<Record<string, unknown> | string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    return `${file.name} is not JSON: choose the service account's key file (.json).`;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return `${file.name} is not a service-account key: it should hold one JSON object.`;
  }
  return parsed as Record<string, unknown>;
}

/** What connect-sheets is sent for these fields, or why they are not enough. */
async function bodyOf(fields: Fields, keyFile: File | null): Promise<ConnectSheet | string> {
  const name = fields.name.trim();
  if (!name) return "Give the sheet a name.";
  const dateOrder = fields.dateOrder ? { date_order: fields.dateOrder } : {};
  const spreadsheet = fields.spreadsheet.trim();
  if (spreadsheet || keyFile) {
    if (!spreadsheet) return "Give the private sheet's URL or key.";
    if (!keyFile) return "Choose the service account's JSON key file.";
    const account = await readServiceAccount(keyFile);
    if (typeof account === "string") return account;
    return { name, spreadsheet, worksheet: fields.worksheet.trim() || null, service_account: account, ...dateOrder };
  }
  const csvUrl = fields.csvUrl.trim();
  if (!csvUrl) return "Give the sheet's CSV export URL, or open “Private sheet” for a service account.";
  if (!/^https?:\/\//i.test(csvUrl)) return "The CSV export URL should start with https://.";
  return { name, csv_url: csvUrl, ...dateOrder };
}

/** Registers a Google Sheet: its CSV export URL, or a private one through a service account. */
export function ConnectSheetForm({ onConnected }: { onConnected: () => void }) {
  const id = useId();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const keyInput = useRef<HTMLInputElement>(null);
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [connected, setConnected] = useState<string | null>(null);
  const set = (name: keyof Fields) => (event: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setConnected(null);
    const body = await bodyOf(fields, keyFile);
    if (typeof body === "string") {
      setProblem(body);
      return;
    }
    setProblem(null);
    setSending(true);
    try {
      const sheet = await connectSheet(body);
      setFields(EMPTY);
      setKeyFile(null);
      if (keyInput.current) keyInput.current.value = "";
      setConnected(`${sheet.name} is connected; it syncs on the schedule, or now with “Sync now”.`);
      onConnected();
    } catch (failure) {
      setProblem(`The sheet was not connected: ${failure instanceof Error ? failure.message : String(failure)}.`);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="import-connect" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>Connect a sheet</h3>
      <div className="import-connect__fields">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={fields.name} onChange={set("name")} placeholder="Store sales" maxLength={200} />
        <label htmlFor={`${id}-url`}>CSV export URL</label>
        <input
          id={`${id}-url`}
          type="url"
          value={fields.csvUrl}
          onChange={set("csvUrl")}
          placeholder="https://docs.google.com/spreadsheets/d/…/export?format=csv&gid=0"
          aria-describedby={`${id}-url-help`}
        />
        <p id={`${id}-url-help`} className="import-muted import-connect__help">
          A public or link-shared sheet; its edit URL works too.
        </p>
        <label htmlFor={`${id}-order`}>Date order</label>
        <select id={`${id}-order`} value={fields.dateOrder} onChange={set("dateOrder")}>
          <option value="">Decided from the sheet</option>
          <option value="DMY">Day first (31/01/2026)</option>
          <option value="MDY">Month first (01/31/2026)</option>
        </select>
      </div>
      <details className="import-connect__private">
        <summary>Private sheet (service account)</summary>
        <div className="import-connect__fields">
          <label htmlFor={`${id}-spreadsheet`}>Spreadsheet URL or key</label>
          <input id={`${id}-spreadsheet`} value={fields.spreadsheet} onChange={set("spreadsheet")} />
          <label htmlFor={`${id}-worksheet`}>Worksheet</label>
          <input id={`${id}-worksheet`} value={fields.worksheet} onChange={set("worksheet")} placeholder="the first one" />
          <label htmlFor={`${id}-key`}>Service-account key (JSON)</label>
          <input
            ref={keyInput}
            id={`${id}-key`}
            type="file"
            accept=".json,application/json"
            onChange={(event) => setKeyFile(event.target.files?.[0] ?? null)}
          />
          <p className="import-muted import-connect__help">
            Share the sheet with the service account&apos;s e-mail. The key is sent to the server
            only, and never shown again.
          </p>
        </div>
      </details>
      <p className="import-connect__submit">
        <button type="submit" className="button button--primary" disabled={sending}>
          {sending ? "Connecting…" : "Connect sheet"}
        </button>
      </p>
      {problem && (
        <p className="import-problem" role="alert">
          {problem}
        </p>
      )}
      {connected && (
        <p className="import-done" role="status">
          {connected}
        </p>
      )}
    </form>
  );
}
