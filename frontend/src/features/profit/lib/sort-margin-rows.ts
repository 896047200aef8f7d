import type { MarginRow } from "@/features/profit/api/get-profit";

import type { MarginSort, SortColumn } from "./margin-view";

// Every group the query asked for is on the page, so the table sorts them here. Amounts are
// compared as numbers only to order them; what the table shows stays the exact decimal.
const KEYS: Record<SortColumn, (row: MarginRow) => number | string | null> = {
  group: (row) => row.groupName,
  sales: (row) => Number(row.revenue),
  cost: (row) => Number(row.cost),
  profit: (row) => Number(row.profit),
  margin: (row) => row.margin ?? null,
  contribution: (row) => row.contribution ?? null,
};

/**
 * The rows in ``sort``'s order; calendar buckets sort by their first day, other groups by
 * name. Groups without a value (a margin without sales) go last either way.
 */
export function sortMarginRows(rows: readonly MarginRow[], sort: MarginSort, time: boolean): MarginRow[] {
  const key = sort.id === "group" && time ? (row: MarginRow) => row.groupId : KEYS[sort.id];
  const sign = sort.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === "string" && typeof y === "string") return sign * x.localeCompare(y);
    return sign * (Number(x) - Number(y));
  });
}
