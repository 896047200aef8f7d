// Every number and date the dashboard shows is formatted here. Money arrives as an exact
// decimal string ("1234.50") and stays one: Intl.NumberFormat formats numeric strings
// exactly, so no amount ever passes through a float.

type Locale = string | undefined;

const EMPTY = "—";

function decimal(amount: string): Intl.StringNumericLiteral {
  if (!/^[-+]?\d+(\.\d+)?$/.test(amount)) {
    throw new Error(`not a decimal amount: ${amount}`);
  }
  return amount as Intl.StringNumericLiteral;
}

/** An amount in the shop currency, with its cents: "$1,234.50". */
export function formatMoney(amount: string, currency: string, locale?: Locale): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(decimal(amount));
}

/** A signed amount, for differences: "+$12.00", "-$3.50", "$0.00". */
export function formatMoneyChange(amount: string, currency: string, locale?: Locale): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: "exceptZero",
  }).format(decimal(amount));
}

/** A rough amount for a chart's axis, not for reading off: "$1.4M", "$250K". */
export function formatMoneyCompact(value: number, currency: string, locale?: Locale): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  }).format(value);
}

/** A whole count: "12,345". */
export function formatCount(value: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A percentage given in percent (23.5 means 23.5%); "—" when undefined. */
export function formatPercent(value: number | null | undefined, locale?: Locale): string {
  if (value == null) return EMPTY;
  return new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value / 100);
}

export type Direction = "up" | "down" | "flat";

export interface Change {
  text: string;
  direction: Direction;
}

/** A change in percent against the comparison period; null when it has no base. */
export function formatChange(value: number | null | undefined, locale?: Locale): Change | null {
  if (value == null) return null;
  const text = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  }).format(value / 100);
  const rounded = Math.round(value * 10);
  const direction: Direction = rounded > 0 ? "up" : rounded < 0 ? "down" : "flat";
  return { text, direction };
}

/** A signed whole count, for differences: "+54", "-3", "0". */
export function formatCountChange(value: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: 0,
    signDisplay: "exceptZero",
  }).format(value);
}

/** A change in percentage points (a margin's: 20% to 22.5% is "+2.5 pp"); null when undefined. */
export function formatPointsChange(value: number | null | undefined, locale?: Locale): Change | null {
  if (value == null) return null;
  const number = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  }).format(value);
  const rounded = Math.round(value * 10);
  const direction: Direction = rounded > 0 ? "up" : rounded < 0 ? "down" : "flat";
  return { text: `${number} pp`, direction };
}

/** An instant as a date and time in the business time zone: "Nov 30, 2026, 2:53 AM". */
export function formatDateTime(iso: string, timeZone: string, locale?: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(parseInstant(iso));
}

/** An instant as a calendar date in the business time zone: "Nov 30, 2026". */
export function formatDate(iso: string, timeZone: string, locale?: Locale): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium" }).format(
    parseInstant(iso),
  );
}

function parseInstant(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date-time: ${iso}`);
  return date;
}

/** The month of a calendar date written YYYY-MM-DD (no time zone involved): "Jun 2026". */
export function formatMonth(isoDate: string, locale?: Locale): string {
  const format = new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    month: "short",
    year: "numeric",
  });
  return format.format(parseInstant(`${isoDate}T00:00:00Z`));
}

/** A rate in percent as it was set, up to two decimals: 7.75 gives "7.75%", 5 gives "5%". */
export function formatRate(value: number, locale?: Locale): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
    value / 100,
  );
}

/** A calendar date written YYYY-MM-DD (no time zone involved): "Sun, Nov 29, 2026". */
export function formatDay(isoDate: string, locale?: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
  }).format(parseInstant(`${isoDate}T00:00:00Z`));
}

/** Calendar dates from ``start`` to ``end`` (YYYY-MM-DD, inclusive): "Nov 23 – 29, 2026". */
export function formatDayRange(start: string, end: string, locale?: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    year: "numeric",
  }).formatRange(parseInstant(`${start}T00:00:00Z`), parseInstant(`${end}T00:00:00Z`));
}

/** A calendar month from its first day (YYYY-MM-DD): "November 2026". */
export function formatLongMonth(isoDate: string, locale?: Locale): string {
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "long", year: "numeric" }).format(
    parseInstant(`${isoDate}T00:00:00Z`),
  );
}

/** A run's length from milliseconds: "340 ms", "4.2 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number, locale?: Locale): string {
  if (ms < 1000) return `${formatCount(ms, locale)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) {
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(seconds);
    return `${number} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const [larger, smaller] =
    minutes < 60 ? [`${minutes} min`, Math.floor(seconds % 60)] : [`${Math.floor(minutes / 60)} h`, minutes % 60];
  const unit = minutes < 60 ? "s" : "min";
  return smaller === 0 ? larger : `${larger} ${smaller} ${unit}`;
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** How long ago (or how soon) an instant is from ``now``: "5 minutes ago", "in 2 hours", "now". */
export function formatRelative(iso: string, now: number = Date.now(), locale?: Locale): string {
  const seconds = (parseInstant(iso).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? "just now" : format.format(Math.trunc(seconds), "second");
}
