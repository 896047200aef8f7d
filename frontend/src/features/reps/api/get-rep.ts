import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { Granularity, SalesRepDetailQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

const SalesRepDetailDocument = graphql(`
  query SalesRepDetail(
    $salesRepId: ID!
    $period: Period!
    $dateRange: DateRangeInput
    $granularity: Granularity
  ) {
    shopInfo {
      name
      currency
      timezone
    }
    salesRepPerformance(
      salesRepId: $salesRepId
      period: $period
      dateRange: $dateRange
      granularity: $granularity
    ) {
      rank
      totalSales
      totalOrders
      uniqueCustomers
      averageOrderValue
      commissionEarned
      totalProfit
      salesRep {
        id
        name
        email
        region
        commissionRate
        isActive
      }
      trend {
        timestamp
        label
        value
        orderCount
        customerCount
      }
    }
  }
`);

export type SalesRepDetailData = SalesRepDetailQuery;
export type RepDetail = SalesRepDetailQuery["salesRepPerformance"];
export type RepTrendPoint = RepDetail["trend"][number];

/** ``granularity`` null: the API picks the buckets for the period; ``pause``: ask nothing. */
export function useSalesRep(
  id: string,
  period: PeriodState,
  granularity: Granularity | null,
  pause = false,
) {
  return useQuery({
    query: SalesRepDetailDocument,
    variables: { salesRepId: id, ...periodVariables(period), granularity },
    pause,
  });
}
