// The period a page shows lives in its URL, so every view is a shareable link:
//   ?period=MONTH                          a preset, cut in the business time zone
//   ?period=CUSTOM&from=2026-01-01&to=...  calendar dates in the business time zone
//   &compare=year                          compare with the same span a year earlier
// Anything missing or malformed falls back to the defaults instead of failing the page.

import type { Comparison, DateRangeInput, Period } from "@/gql/graphql";

export const PERIOD_PRESETS = [
  { period: "TODAY", label: "Today" },
  { period: "YESTERDAY", label: "Yesterday" },
  { period: "WEEK", label: "This week" },
  { period: "LAST_WEEK", label: "Last week" },
  { period: "MONTH", label: "This month" },
  { period: "LAST_MONTH", label: "Last month" },
  { period: "QUARTER", label: "Quarter" },
  { period: "YEAR", label: "Year" },
] as const satisfies readonly { period: Period; label: string }[];

export type PresetPeriod = (typeof PERIOD_PRESETS)[number]["period"];

export const DEFAULT_PERIOD: PresetPeriod = "MONTH";

export const COMPARISONS = [
  { compareTo: "PREVIOUS_PERIOD", param: "period", label: "Previous period" },
  { compareTo: "PREVIOUS_YEAR", param: "year", label: "Previous year" },
] as const satisfies readonly { compareTo: Comparison; param: string; label: string }[];

export interface PeriodState {
  period: PresetPeriod | "CUSTOM";
  /** Set exactly when period is CUSTOM. */
  range: DateRangeInput | null;
  compareTo: Comparison;
}

export const DEFAULT_STATE: PeriodState = {
  period: DEFAULT_PERIOD,
  range: null,
  compareTo: "PREVIOUS_PERIOD",
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD ("2026-02-30" is not one). */
export function isIsoDate(value: string | null | undefined): value is string {
  if (!value || !ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A range the API accepts: two dates, the first not after the second. */
export function validRange(from: string | null, to: string | null): DateRangeInput | null {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) return null;
  return { startDate: from, endDate: to };
}

export function readPeriod(params: URLSearchParams): PeriodState {
  const compare = COMPARISONS.find((c) => c.param === params.get("compare"));
  const compareTo = compare ? compare.compareTo : DEFAULT_STATE.compareTo;
  const name = params.get("period");
  if (name === "CUSTOM") {
    const range = validRange(params.get("from"), params.get("to"));
    if (range) return { period: "CUSTOM", range, compareTo };
  }
  const preset = PERIOD_PRESETS.find((p) => p.period === name);
  return { period: preset ? preset.period : DEFAULT_PERIOD, range: null, compareTo };
}

/** ``params`` with the period state written in; other parameters (filters, sort) stay. */
export function writePeriod(params: URLSearchParams, state: PeriodState): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set("period", state.period);
  if (state.period === "CUSTOM" && state.range) {
    next.set("from", state.range.startDate);
    next.set("to", state.range.endDate);
  } else {
    next.delete("from");
    next.delete("to");
  }
  const compare = COMPARISONS.find((c) => c.compareTo === state.compareTo);
  if (compare && compare.compareTo !== DEFAULT_STATE.compareTo) next.set("compare", compare.param);
  else next.delete("compare");
  return next;
}

/** The GraphQL arguments every analytics query takes for a period. */
export function periodVariables(state: PeriodState): {
  period: Period;
  dateRange: DateRangeInput | null;
} {
  return { period: state.period, dateRange: state.period === "CUSTOM" ? state.range : null };
}

/** "This month", "Last week", or "Mar 1, 2026 – Mar 31, 2026" for a custom range. */
export function periodLabel(state: PeriodState, locale?: string): string {
  if (state.period === "CUSTOM" && state.range) {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    const start = new Date(`${state.range.startDate}T00:00:00Z`);
    const end = new Date(`${state.range.endDate}T00:00:00Z`);
    return format.formatRange(start, end);
  }
  return PERIOD_PRESETS.find((p) => p.period === state.period)?.label ?? state.period;
}

/** The period inside a sentence: "this month", or a custom range as periodLabel gives it. */
export function periodPhrase(state: PeriodState, locale?: string): string {
  const label = periodLabel(state, locale);
  return state.period === "CUSTOM" ? label : label.toLowerCase();
}

/** The period in an exported file's name: "month", or "2026-01-01-to-2026-01-31". */
export function periodSlug(period: PeriodState): string {
  return period.period === "CUSTOM" && period.range
    ? `${period.range.startDate}-to-${period.range.endDate}`
    : period.period.toLowerCase();
}
