// Files the API serves to a bearer token (a report's HTML or CSV): fetched with the
// in-memory token, then handed to the browser as a blob, since a plain link cannot carry
// the Authorization header.
import { authorizedFetch } from "./rest";
import { problemDetail } from "./session";

/** A download the API refused or did not answer, with its reason. */
export class DownloadError extends Error {
  constructor(
    message: string,
    /** The HTTP status; 0 when the server did not answer. */
    readonly status: number,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

export interface FetchedFile {
  blob: Blob;
  /** The name the server gave it (Content-Disposition), or null. */
  filename: string | null;
}

/** The attachment's file name in a Content-Disposition header, if it names one. */
export function attachmentName(disposition: string | null): string | null {
  const match = disposition?.match(/filename="?([^";]+)"?/i);
  return match?.[1] ?? null;
}

/** GET ``path`` with the session's token (renewed once when refused as expired). */
export async function fetchFile(path: string): Promise<FetchedFile> {
  let response: Response;
  try {
    response = await authorizedFetch(path);
  } catch {
    throw new DownloadError("the server did not answer", 0);
  }
  if (!response.ok) throw new DownloadError(await problemDetail(response), response.status);
  return {
    blob: await response.blob(),
    filename: attachmentName(response.headers.get("content-disposition")),
  };
}

/** Hand ``blob`` to the browser as a download named ``filename``. */
export function saveFile(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** How long a tab has to load the blob it was sent to before its URL is revoked. */
const TAB_LOAD_MS = 60_000;

/**
 * Open ``path`` in a new tab. The tab is opened at once, in the click (a tab opened after
 * the request would be a popup to block), and sent to the file once it has arrived; it is
 * closed again when the download fails.
 */
export async function openFileInTab(path: string, type: string): Promise<void> {
  const tab = window.open("", "_blank");
  if (!tab) throw new DownloadError("the browser blocked the new tab: allow pop-ups for this site", 0);
  tab.opener = null;
  try {
    const { blob } = await fetchFile(path);
    const url = URL.createObjectURL(new Blob([blob], { type }));
    tab.location.replace(url);
    setTimeout(() => URL.revokeObjectURL(url), TAB_LOAD_MS);
  } catch (error) {
    tab.close();
    throw error;
  }
}
