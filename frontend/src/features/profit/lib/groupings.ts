import type { MarginGroupBy } from "@/gql/graphql";

export interface Grouping {
  label: string;
  /** The groups in a sentence: "the 20 most profitable categories". */
  plural: string;
  /** The group's sales are item sales before order discounts (else net revenue). */
  itemSales: boolean;
  /** The groups are calendar buckets, read in time order. */
  time: boolean;
  /** Where a group's own page is, if it has one. */
  link?: (groupId: string) => string;
}

// Every MarginGroupBy value, in the order the switch offers them (the Record type makes a
// new value in the schema fail the build until it is listed here).
export const GROUPINGS: Record<MarginGroupBy, Grouping> = {
  PRODUCT: {
    label: "Product",
    plural: "products",
    itemSales: true,
    time: false,
    link: (id) => `/products/${encodeURIComponent(id)}`,
  },
  CATEGORY: { label: "Category", plural: "categories", itemSales: true, time: false },
  BRAND: { label: "Brand", plural: "brands", itemSales: true, time: false },
  CUSTOMER_SEGMENT: { label: "Customer segment", plural: "segments", itemSales: false, time: false },
  SALES_REP: {
    label: "Sales rep",
    plural: "sales reps",
    itemSales: false,
    time: false,
    link: (id) => `/reps/${encodeURIComponent(id)}`,
  },
  REGION: { label: "Region", plural: "regions", itemSales: false, time: false },
  PAYMENT_MODE: { label: "Payment mode", plural: "payment modes", itemSales: false, time: false },
  DAY: { label: "Day", plural: "days", itemSales: false, time: true },
  WEEK: { label: "Week", plural: "weeks", itemSales: false, time: true },
  MONTH: { label: "Month", plural: "months", itemSales: false, time: true },
};

export const GROUP_BY_VALUES = Object.keys(GROUPINGS) as MarginGroupBy[];

export const DEFAULT_GROUP_BY: MarginGroupBy = "CATEGORY";

export type TimeGroupBy = Extract<MarginGroupBy, "DAY" | "WEEK" | "MONTH">;

export function isTimeGrouping(groupBy: MarginGroupBy): groupBy is TimeGroupBy {
  return GROUPINGS[groupBy].time;
}

export function isGroupBy(value: string | null): value is MarginGroupBy {
  return value !== null && Object.hasOwn(GROUPINGS, value);
}

const SEGMENT_WORDS = /_/g;

/**
 * How a group's name reads on screen: segments and payment modes arrive as codes
 * ("AT_RISK", "cash_on_delivery"), an empty name means the orders had none.
 */
export function groupLabel(groupBy: MarginGroupBy, name: string): string {
  if (name === "") return "(none)";
  if (groupBy === "CUSTOMER_SEGMENT" || groupBy === "PAYMENT_MODE") {
    const words = name.replace(SEGMENT_WORDS, " ").toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return name;
}
