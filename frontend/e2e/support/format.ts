// What the dashboard should show for an API value, computed here on its own (not with
// src/lib/format.ts) so a formatting bug in the app cannot agree with itself. The
// browser runs with locale en-US (playwright.config.ts).
const LOCALE = "en-US";

/** "1234.50" in USD -> "$1,234.50": the API's decimal string, formatted exactly. */
export function money(amount: string, currency: string): string {
  if (!/^-?\d+\.\d{2}$/.test(amount)) throw new Error(`not an API decimal: ${amount}`);
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(amount as Intl.StringNumericLiteral);
}

/** 12345 -> "12,345". */
export function count(value: number): string {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 }).format(value);
}

/** A percentage given in percent: 23.45 -> "23.5%"; null -> "—". */
export function percent(value: number | null | undefined): string {
  if (value == null) return "—";
  return new Intl.NumberFormat(LOCALE, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value / 100);
}
