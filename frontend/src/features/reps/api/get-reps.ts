import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { SalesRepsQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

/** The leaderboard's length: the API's largest page, so every rep with sales shows. */
export const LEADERBOARD_LIMIT = 100;

// The whole page in one round trip: the leaderboard (filtered by the rep's region), the
// regions of the customers, and every rep's region for the filter's options.
const SalesRepsDocument = graphql(`
  query SalesReps($period: Period!, $dateRange: DateRangeInput, $region: String, $limit: Int!) {
    shopInfo {
      name
      currency
      timezone
    }
    topSalesReps(limit: $limit, period: $period, dateRange: $dateRange, region: $region) {
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
      }
    }
    regionalPerformance(period: $period, dateRange: $dateRange) {
      region
      revenue
      orders
      customers
      profit
      profitMargin
      growth
    }
    salesReps(first: 100) {
      totalCount
      edges {
        node {
          region
        }
      }
    }
  }
`);

export type SalesRepsData = SalesRepsQuery;
export type LeaderboardRow = SalesRepsQuery["topSalesReps"][number];
export type RegionRow = SalesRepsQuery["regionalPerformance"][number];

export function useSalesReps(period: PeriodState, region: string | null) {
  return useQuery({
    query: SalesRepsDocument,
    variables: { ...periodVariables(period), region, limit: LEADERBOARD_LIMIT },
  });
}
