// The rest of the Products pages' URL state: which view (tab) is open, how many rows the
// ranked lists hold, how top products are ranked and which metric a product's trend draws.

import type { Metric, ProductSort } from "@/gql/graphql";
import { useChoiceParam } from "@/hooks/use-url-param";

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
const LIMIT_CHOICES = LIMITS.map(String);

/** Rows of a ranked list (?limit=, the API takes at most 100) and its setter. */
export function useLimitParam(): [number, (limit: number) => void] {
  const [limit, setLimit] = useChoiceParam("limit", LIMIT_CHOICES, "25");
  return [Number(limit), (next) => setLimit(String(next))];
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

const SORT_CHOICES: readonly ProductSort[] = PRODUCT_SORTS.map((s) => s.sort);

/** How top products are ranked (?sortBy=) and its setter. */
export function useTopSortParam(): [ProductSort, (sort: ProductSort) => void] {
  return useChoiceParam("sortBy", SORT_CHOICES, "REVENUE_DESC");
}

export const TREND_METRICS = [
  { metric: "REVENUE", label: "Item sales", kind: "money" },
  { metric: "PROFIT", label: "Profit", kind: "money" },
  { metric: "ORDERS", label: "Orders", kind: "count" },
  { metric: "MARGIN", label: "Margin", kind: "percent" },
] as const satisfies readonly { metric: Metric; label: string; kind: string }[];
export type TrendMetric = (typeof TREND_METRICS)[number];

const METRIC_CHOICES: readonly Metric[] = TREND_METRICS.map((m) => m.metric);

/** The metric a product's trend draws (?metric=) and its setter. */
export function useTrendMetricParam(): [TrendMetric, (metric: Metric) => void] {
  const [metric, setMetric] = useChoiceParam("metric", METRIC_CHOICES, TREND_METRICS[0].metric);
  return [TREND_METRICS.find((m) => m.metric === metric) ?? TREND_METRICS[0], setMetric];
}
