// The calendar buckets a period spans, so a margin series can show the days (weeks,
// months) without recognised sales, which the API leaves out of its groups.

import type { TimeGroupBy } from "./groupings";

const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) an instant falls on in ``timeZone``. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

function utcDay(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first day of the bucket holding ``isoDate``: itself, its Monday, or its 1st. */
export function bucketStart(groupBy: TimeGroupBy, isoDate: string): string {
  const day = utcDay(isoDate);
  if (groupBy === "WEEK") {
    const sinceMonday = (day.getUTCDay() + 6) % 7;
    return isoDay(new Date(day.getTime() - sinceMonday * DAY_MS));
  }
  if (groupBy === "MONTH") return `${isoDate.slice(0, 7)}-01`;
  return isoDate;
}

function nextBucket(groupBy: TimeGroupBy, isoDate: string): string {
  const day = utcDay(isoDate);
  if (groupBy === "MONTH") {
    return isoDay(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1)));
  }
  return isoDay(new Date(day.getTime() + (groupBy === "WEEK" ? 7 : 1) * DAY_MS));
}

/**
 * The first days of every bucket from ``start`` up to ``end`` (exclusive; a running period
 * ends now), as the API names its DAY, WEEK and MONTH groups, in time order.
 */
export function bucketStarts(
  groupBy: TimeGroupBy,
  start: string,
  end: string,
  timeZone: string,
): string[] {
  const from = new Date(start);
  const to = new Date(Math.max(from.getTime(), new Date(end).getTime() - 1));
  const last = bucketStart(groupBy, localDate(to, timeZone));
  const buckets: string[] = [];
  let bucket = bucketStart(groupBy, localDate(from, timeZone));
  while (bucket <= last) {
    buckets.push(bucket);
    bucket = nextBucket(groupBy, bucket);
  }
  return buckets;
}

/**
 * A bucket's short name on a chart axis: its first day ("Nov 16", for a day or the week
 * starting that Monday), or its month ("Nov 2026").
 */
export function bucketLabel(groupBy: TimeGroupBy, isoDate: string, locale?: string): string {
  const format: Intl.DateTimeFormatOptions =
    groupBy === "MONTH" ? { month: "short", year: "numeric" } : { month: "short", day: "numeric" };
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...format }).format(utcDay(isoDate));
}
