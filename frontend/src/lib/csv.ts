// CSV for every table's export: RFC 4180 quoting, and cells a spreadsheet would run as a
// formula (starting with = + - @, a tab or a carriage return) prefixed with a quote so they
// stay text. Plain numbers ("-12.50") are left as numbers.

import { saveFile } from "./download";

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** One cell, neutralised against formula injection and quoted when it needs to be. */
export function csvCell(value: CsvValue): string {
  if (value == null) return "";
  let text = String(value);
  if (typeof value !== "number" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: the header line, then one line per row, CRLF-separated. */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [headers, ...rows].map((row) => row.map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** Hand ``csv`` to the browser as a download named ``filename``. */
export function downloadCsv(filename: string, csv: string): void {
  // The byte-order mark makes spreadsheet programs read the file as UTF-8.
  saveFile(filename, new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" }));
}
