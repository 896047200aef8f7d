// The margin analysis's part of the page state, in the URL next to the period:
//   ?by=BRAND        the grouping (any MarginGroupBy; CATEGORY by default)
//   &top=50          how many groups to list (10, 20, 50 or 100); time buckets always ask
//                    for the API's maximum, 100, so a series has every bucket it can
//   &sort=margin&order=asc   the table's order (the grouping's natural order by default)
// Anything missing or malformed falls back to the defaults.

import type { MarginGroupBy } from "@/gql/graphql";

import { DEFAULT_GROUP_BY, isGroupBy, isTimeGrouping } from "./groupings";

export const LIMITS = [10, 20, 50, 100] as const;
export const DEFAULT_LIMIT = 20;
/** marginAnalysis answers at most this many groups. */
export const MAX_LIMIT = 100;

export const SORT_COLUMNS = ["group", "sales", "cost", "profit", "margin", "contribution"] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface MarginSort {
  id: SortColumn;
  desc: boolean;
}

export interface MarginView {
  groupBy: MarginGroupBy;
  /** The groups listed; only offered for groupings that are not time buckets. */
  top: number;
  sort: MarginSort;
}

/** Most profitable first (the API's ranking), or time order for calendar buckets. */
export function defaultSort(groupBy: MarginGroupBy): MarginSort {
  return isTimeGrouping(groupBy) ? { id: "group", desc: false } : { id: "profit", desc: true };
}

/** The limit to ask the API for. */
export function requestLimit(view: MarginView): number {
  return isTimeGrouping(view.groupBy) ? MAX_LIMIT : view.top;
}

export function isSortColumn(value: string | null): value is SortColumn {
  return SORT_COLUMNS.some((column) => column === value);
}

export function readMarginView(params: URLSearchParams): MarginView {
  const by = params.get("by");
  const groupBy = isGroupBy(by) ? by : DEFAULT_GROUP_BY;
  const top = LIMITS.find((limit) => String(limit) === params.get("top")) ?? DEFAULT_LIMIT;
  const column = params.get("sort");
  const order = params.get("order");
  const sort = isSortColumn(column)
    ? { id: column, desc: order === "desc" || (order !== "asc" && column !== "group") }
    : defaultSort(groupBy);
  return { groupBy, top, sort };
}

/** ``params`` with the view written in; defaults are left out, other parameters stay. */
export function writeMarginView(params: URLSearchParams, view: MarginView): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set("by", view.groupBy);
  if (view.top === DEFAULT_LIMIT) next.delete("top");
  else next.set("top", String(view.top));
  const natural = defaultSort(view.groupBy);
  if (view.sort.id === natural.id && view.sort.desc === natural.desc) {
    next.delete("sort");
    next.delete("order");
  } else {
    next.set("sort", view.sort.id);
    next.set("order", view.sort.desc ? "desc" : "asc");
  }
  return next;
}
