import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { OverviewQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

// The whole page in one round trip: the shop's formatting facts, the period's figures
// against the chosen comparison, the revenue trend against the same comparison (its points
// carry this and the compared bucket's order counts, so one series draws both charts) and
// the breakdowns.
const OverviewDocument = graphql(`
  query Overview($period: Period!, $dateRange: DateRangeInput, $compareTo: Comparison!) {
    shopInfo {
      name
      currency
      timezone
    }
    salesOverview(period: $period, dateRange: $dateRange, compareTo: $compareTo) {
      periodStart
      periodEnd
      dataAsOf
      totalRevenue
      revenueChange
      revenueChangePercentage
      totalOrders
      ordersChange
      ordersChangePercentage
      averageOrderValue
      aovChange
      aovChangePercentage
      uniqueCustomers
      customersChange
      customersChangePercentage
      unitsSold
      unitsChange
      unitsChangePercentage
      totalProfit
      profitChange
      profitChangePercentage
      profitMargin
      marginChange
    }
    salesTrends(
      period: $period
      metric: REVENUE
      dateRange: $dateRange
      compare: true
      compareTo: $compareTo
    ) {
      timestamp
      label
      value
      previousValue
      orderCount
      previousOrderCount
    }
    topProducts(limit: 5, period: $period, dateRange: $dateRange) {
      rank
      revenue
      unitsSold
      profitMargin
      growthRate
      product {
        id
        name
        sku
      }
    }
    categoryBreakdown(period: $period, dateRange: $dateRange) {
      category {
        id
        name
      }
      revenue
      percentage
    }
    customerSegments {
      segment
      customerCount
      totalRevenue
      percentage
    }
    topSalesReps(limit: 5, period: $period, dateRange: $dateRange) {
      rank
      totalSales
      totalOrders
      commissionEarned
      salesRep {
        id
        name
        region
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
  }
`);

export type OverviewData = OverviewQuery;
export type ShopFacts = OverviewQuery["shopInfo"];
export type Overview = OverviewQuery["salesOverview"];
export type TrendPoint = OverviewQuery["salesTrends"][number];
export type TopProduct = OverviewQuery["topProducts"][number];
export type CategoryShare = OverviewQuery["categoryBreakdown"][number];
export type SegmentShare = OverviewQuery["customerSegments"][number];
export type TopRep = OverviewQuery["topSalesReps"][number];
export type Region = OverviewQuery["regionalPerformance"][number];

export function overviewVariables(state: PeriodState) {
  return { ...periodVariables(state), compareTo: state.compareTo };
}

export function useOverview(state: PeriodState) {
  return useQuery({ query: OverviewDocument, variables: overviewVariables(state) });
}
