// The REST side of the Import page for its tests: fetch (imports, sheets) answered by a
// handler, and XMLHttpRequest (the upload) replaced by a request the test answers itself.
import { vi } from "vitest";

import type { RestImport, RestReport } from "../lib/imports";

export const REPORT: RestReport = {
  rows_read: 5,
  imported: 3,
  skipped_duplicate: 0,
  failed: 2,
  orders_created: 3,
  orders_extended: 0,
  created: { products: 2, categories: 1, customers: 3, reps: 0 },
  errors: [
    { line: 4, column: "amount", value: "12,3x", reason: "not a number" },
    { line: 6, column: "date", value: "31/31/2026", reason: "not a date" },
  ],
};

export function restImport(fields: Partial<RestImport> = {}): RestImport {
  return {
    id: 7,
    source: "upload",
    file_name: "sales.csv",
    state: "succeeded",
    dry_run: false,
    rows_read: 5,
    rows_imported: 3,
    rows_skipped: 0,
    rows_failed: 2,
    percent: 100,
    created_at: "2026-11-30T09:00:00Z",
    finished_at: "2026-11-30T09:00:01Z",
    report: REPORT,
    error: null,
    ...fields,
  };
}

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Stubs fetch: ``answer`` gives each REST request's response; the calls are recorded. */
export function serveRest(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://shop.test");
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : null;
    const call = { method: init?.method ?? "GET", path: url.pathname + url.search, body };
    calls.push(call);
    return answer(call);
  });
  vi.stubGlobal("fetch", fetch);
  return calls;
}

/** One upload the page sent through XMLHttpRequest; the test answers it. */
export class FakeUpload {
  static sent: FakeUpload[] = [];
  method = "";
  url = "";
  headers: Record<string, string> = {};
  form: FormData | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  withCredentials = false;
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(form: FormData) {
    this.form = form;
    FakeUpload.sent.push(this);
  }
  abort() {
    this.onabort?.();
  }
  /** The form's text fields (the file aside). */
  fields(): Record<string, string> {
    const fields: Record<string, string> = {};
    this.form?.forEach((value, name) => {
      if (typeof value === "string") fields[name] = value;
    });
    return fields;
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }
  respond(status: number, body: unknown, statusText = "") {
    this.status = status;
    this.statusText = statusText;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
  fail() {
    this.onerror?.();
  }
}

export function stubUploads() {
  FakeUpload.sent = [];
  vi.stubGlobal("XMLHttpRequest", FakeUpload);
}

export const json = (body: unknown, status = 200) => Response.json(body, { status });
export const problem = (status: number, error: string, detail: string) => json({ error, detail }, status);

/** The ``index``th upload sent (from 0); fails the test when there is none. */
export function sentUpload(index = 0): FakeUpload {
  const upload = FakeUpload.sent[index];
  if (!upload) throw new Error(`no upload ${index} was sent (${FakeUpload.sent.length} were)`);
  return upload;
}
