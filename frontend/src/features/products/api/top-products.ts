import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { ProductSort, TopProductsQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

const TopProductsDocument = graphql(`
  query TopProducts($limit: Int!, $sortBy: ProductSort!, $period: Period!, $dateRange: DateRangeInput) {
    shopInfo {
      name
      currency
      timezone
    }
    topProducts(limit: $limit, sortBy: $sortBy, period: $period, dateRange: $dateRange) {
      rank
      revenue
      unitsSold
      orderCount
      profit
      profitMargin
      growthRate
      product {
        id
        name
        sku
        brand
      }
    }
  }
`);

export type TopProductRow = TopProductsQuery["topProducts"][number];

export function useTopProducts(limit: number, sortBy: ProductSort, period: PeriodState) {
  return useQuery({
    query: TopProductsDocument,
    variables: { limit, sortBy, ...periodVariables(period) },
  });
}
