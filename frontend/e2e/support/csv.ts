// A CSV export the page downloaded, read back as rows of cells.
import { readFile } from "node:fs/promises";

import type { Download } from "@playwright/test";

/**
 * The file's lines split at commas, the byte-order mark dropped; for exports whose cells
 * hold no comma, quote or line break (ids, names, emails, plain amounts).
 */
export async function csvRows(download: Download): Promise<string[][]> {
  const text = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "");
  return text
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(","));
}
