import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { LowStockQuery } from "@/gql/graphql";

const LowStockDocument = graphql(`
  query LowStock($limit: Int!) {
    shopInfo {
      name
      currency
      timezone
    }
    lowStockProducts(limit: $limit) {
      stockQuantity
      reorderLevel
      unitsSoldLast30Days
      dailySalesRate
      daysOfStockLeft
      product {
        id
        name
        sku
        brand
      }
    }
  }
`);

export type LowStockRow = LowStockQuery["lowStockProducts"][number];

export function useLowStock(limit: number) {
  return useQuery({ query: LowStockDocument, variables: { limit } });
}
