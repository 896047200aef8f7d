import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { SalesRepsQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

/** The leaderboard's length: the API's largest page, so every rep with sales shows. */
export const LEADERBOARD_LIMIT = 100;

// The whole page in one round trip: the leaderboard (filtered by the rep's region), the
// regions of the customers, and the regions the filter offers: every rep's when the caller
// may list the reps (an analytics read), else those of the reps with sales in the period
// (the leaderboard itself, or unfiltered beside it while a region filters it).
const SalesRepsDocument = graphql(`
  query SalesReps(
    $period: Period!
    $dateRange: DateRangeInput
    $region: String
    $limit: Int!
    $listReps: Boolean!
    $unfiltered: Boolean!
  ) {
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
    salesReps(first: 100) @include(if: $listReps) {
      edges {
        node {
          region
        }
      }
    }
    repsWithSales: topSalesReps(limit: $limit, period: $period, dateRange: $dateRange)
      @include(if: $unfiltered) {
      salesRep {
        id
        region
      }
    }
  }
`);

export type SalesRepsData = SalesRepsQuery;
export type LeaderboardRow = SalesRepsQuery["topSalesReps"][number];
export type RegionRow = SalesRepsQuery["regionalPerformance"][number];

/** ``listReps``: the caller may list the reps (ANALYTICS_READ). */
export function useSalesReps(period: PeriodState, region: string | null, listReps: boolean) {
  return useQuery({
    query: SalesRepsDocument,
    variables: {
      ...periodVariables(period),
      region,
      limit: LEADERBOARD_LIMIT,
      listReps,
      unfiltered: !listReps && region !== null,
    },
  });
}

/** The regions of the reps the answer names, for the region filter. */
export function repRegions(data: SalesRepsData): (string | null | undefined)[] {
  const reps = data.salesReps
    ? data.salesReps.edges.map((edge) => edge.node)
    : (data.repsWithSales ?? data.topSalesReps).map((row) => row.salesRep);
  return reps.map((rep) => rep.region);
}
