// The rest of the Products pages' URL state: which view (tab) is open, how many rows the
// ranked lists hold, how top products are ranked and which metric a product's trend draws.

import type { Metric, ProductSort } from "@/gql/graphql";

export const TABS = [
  { id: "catalog", label: "Catalog" },
  { id: "top", label: "Top products" },
  { id: "low-stock", label: "Low stock" },
] as const;
export type Tab = (typeof TABS)[number]["id"];

export function readTab(params: URLSearchParams): Tab {
  return TABS.find((tab) => tab.id === params.get("tab"))?.id ?? "catalog";
}

export const LIMITS = [10, 25, 50, 100] as const;
export const DEFAULT_LIMIT = 25;

/** Rows of a ranked list (the API takes at most 100). */
export function readLimit(params: URLSearchParams): number {
  const wanted = Number(params.get("limit"));
  return LIMITS.find((limit) => limit === wanted) ?? DEFAULT_LIMIT;
}

export const PRODUCT_SORTS = [
  { sort: "REVENUE_DESC", label: "Item sales, highest first" },
  { sort: "REVENUE_ASC", label: "Item sales, lowest first" },
  { sort: "PROFIT_DESC", label: "Profit, highest first" },
  { sort: "PROFIT_ASC", label: "Profit, lowest first" },
  { sort: "UNITS_DESC", label: "Units sold, most first" },
  { sort: "UNITS_ASC", label: "Units sold, fewest first" },
  { sort: "MARGIN_DESC", label: "Margin, highest first" },
  { sort: "MARGIN_ASC", label: "Margin, lowest first" },
  { sort: "GROWTH_DESC", label: "Growth vs previous period, highest first" },
] as const satisfies readonly { sort: ProductSort; label: string }[];

export function readTopSort(params: URLSearchParams): ProductSort {
  return PRODUCT_SORTS.find((s) => s.sort === params.get("sortBy"))?.sort ?? "REVENUE_DESC";
}

export const TREND_METRICS = [
  { metric: "REVENUE", label: "Item sales", kind: "money" },
  { metric: "PROFIT", label: "Profit", kind: "money" },
  { metric: "ORDERS", label: "Orders", kind: "count" },
  { metric: "MARGIN", label: "Margin", kind: "percent" },
] as const satisfies readonly { metric: Metric; label: string; kind: string }[];
export type TrendMetric = (typeof TREND_METRICS)[number];

export function readTrendMetric(params: URLSearchParams): TrendMetric {
  return TREND_METRICS.find((m) => m.metric === params.get("metric")) ?? TREND_METRICS[0];
}

/** ``params`` with ``name`` set, or removed when ``value`` is its default. */
export function withParam(
  params: URLSearchParams,
  name: string,
  value: string,
  fallback: string,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === fallback) next.delete(name);
  else next.set(name, value);
  return next;
}
