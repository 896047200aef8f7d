import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { OverviewQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

// The whole page in one round trip: the shop's formatting facts and the period's overview.
const OverviewDocument = graphql(`
  query Overview($period: Period!, $dateRange: DateRangeInput) {
    shopInfo {
      name
      currency
      timezone
    }
    dashboardOverview(period: $period, dateRange: $dateRange) {
      overview {
        periodStart
        periodEnd
        dataAsOf
        totalRevenue
        revenueChangePercentage
        totalOrders
        ordersChangePercentage
        averageOrderValue
        aovChangePercentage
        uniqueCustomers
        customersChangePercentage
        unitsSold
        totalProfit
        profitMargin
      }
      topProducts {
        rank
        revenue
        unitsSold
        profitMargin
        product {
          id
          name
          sku
        }
      }
      topSalesReps {
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
      generatedAt
    }
  }
`);

export type OverviewData = OverviewQuery;
export type ShopFacts = OverviewQuery["shopInfo"];
export type Overview = OverviewQuery["dashboardOverview"]["overview"];
export type TopProduct = OverviewQuery["dashboardOverview"]["topProducts"][number];
export type TopRep = OverviewQuery["dashboardOverview"]["topSalesReps"][number];

export function useOverview(state: PeriodState) {
  return useQuery({ query: OverviewDocument, variables: periodVariables(state) });
}
