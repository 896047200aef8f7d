import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { Metric, ProductDetailQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

// The product, its sales in the period against the previous one, and the trend with the
// previous period's buckets beside it. Nested under product(id), an unknown id is a null
// product rather than an error.
const ProductDetailDocument = graphql(`
  query ProductDetail($id: ID!, $period: Period!, $dateRange: DateRangeInput, $metric: Metric!) {
    shopInfo {
      name
      currency
      timezone
    }
    product(id: $id) {
      id
      sku
      name
      description
      brand
      isActive
      sellingPrice
      costPrice
      profitMargin
      stockQuantity
      reorderLevel
      category {
        id
        name
        parent {
          id
          name
        }
      }
      performance(period: $period, dateRange: $dateRange) {
        revenue
        unitsSold
        orderCount
        averagePrice
        profit
        profitMargin
        growthRate
        revenueChange
        unitsChange
        firstSaleDate
        lastSaleDate
      }
      trends(period: $period, dateRange: $dateRange, metric: $metric, compare: true) {
        timestamp
        label
        value
        previousValue
      }
    }
  }
`);

export type ProductDetail = NonNullable<ProductDetailQuery["product"]>;
export type ProductShop = ProductDetailQuery["shopInfo"];

export function useProductDetail(id: string, period: PeriodState, metric: Metric) {
  return useQuery({
    query: ProductDetailDocument,
    variables: { id, metric, ...periodVariables(period) },
  });
}
