// POST /api/v1/upload/csv through XMLHttpRequest: fetch cannot tell how much of a request
// body has been sent, and a large sales file takes a while to go up.
import { authorization } from "@/lib/rest";

import { fromRest, type ImportRecord, type RestImport } from "../lib/imports";

export const UPLOAD_PATH = "/api/v1/upload/csv";

export type DateOrder = "DMY" | "MDY";

export interface UploadOptions {
  dryRun: boolean;
  /** Only when the file never shows whether the day or the month comes first. */
  dateOrder?: DateOrder;
  /** Bytes sent so far of ``total``. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/** How an upload the API answered ended. */
export type UploadAnswer =
  /** 200: a small file, imported in the request. */
  | { kind: "done"; record: ImportRecord }
  /** 202: a large one, queued; follow it at GET /api/v1/imports/{id}. */
  | { kind: "queued"; record: ImportRecord }
  /** 400 with `needs: "date_order"`: ask the reader and send it again. */
  | { kind: "needs-date-order"; detail: string }
  /** Any other refusal, with the API's reason (and the limit for 413). */
  | { kind: "refused"; status: number; code: string | null; detail: string; limitBytes?: number };

/** The upload could not be sent or was not answered. */
export class UploadFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UploadFailed";
  }
}

interface Problem {
  error?: unknown;
  detail?: unknown;
  needs?: unknown;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The answer of a finished request, by its status. */
export function answerOf(status: number, statusText: string, text: string): UploadAnswer {
  const body = parse(text);
  if ((status === 200 || status === 202) && body && typeof body === "object") {
    return { kind: status === 200 ? "done" : "queued", record: fromRest(body as RestImport) };
  }
  const problem = (body && typeof body === "object" ? body : {}) as Problem;
  const detail = typeof problem.detail === "string" ? problem.detail : `${status} ${statusText}`.trim();
  if (status === 400 && problem.needs === "date_order") return { kind: "needs-date-order", detail };
  const code = typeof problem.error === "string" ? problem.error : null;
  const limit = status === 413 ? /(\d+)\s*bytes/.exec(detail) : null;
  return { kind: "refused", status, code, detail, ...(limit ? { limitBytes: Number(limit[1]) } : {}) };
}

function send(file: File, options: UploadOptions, headers: Record<string, string>): Promise<XMLHttpRequest> {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("dry_run", options.dryRun ? "true" : "false");
  if (options.dateOrder) form.append("date_order", options.dateOrder);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", UPLOAD_PATH);
    request.withCredentials = true;
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded, event.total);
    };
    request.onload = () => resolve(request);
    request.onerror = () => reject(new UploadFailed("the server did not answer"));
    request.onabort = () => reject(new DOMException("the upload was cancelled", "AbortError"));
    options.signal?.addEventListener("abort", () => request.abort(), { once: true });
    request.send(form);
  });
}

/** Uploads ``file`` with the session's token and says how the API answered. */
export async function uploadCsv(file: File, options: UploadOptions): Promise<UploadAnswer> {
  const request = await send(file, options, await authorization());
  return answerOf(request.status, request.statusText, request.responseText);
}
