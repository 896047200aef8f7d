import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { OverviewQuery, Period } from "@/gql/graphql";

export const PERIOD_PRESETS = [
  { period: "TODAY", label: "Today" },
  { period: "YESTERDAY", label: "Yesterday" },
  { period: "WEEK", label: "This week" },
  { period: "MONTH", label: "This month" },
  { period: "QUARTER", label: "Quarter" },
  { period: "YEAR", label: "Year" },
] as const satisfies readonly { period: Period; label: string }[];

export type PresetPeriod = (typeof PERIOD_PRESETS)[number]["period"];

export const DEFAULT_PERIOD: PresetPeriod = "MONTH";

export function parsePeriod(value: string | null): PresetPeriod {
  const preset = PERIOD_PRESETS.find((p) => p.period === value);
  return preset ? preset.period : DEFAULT_PERIOD;
}

// The whole page in one round trip: the shop's formatting facts and the period's overview.
const OverviewDocument = graphql(`
  query Overview($period: Period!) {
    shopInfo {
      name
      currency
      timezone
    }
    dashboardOverview(period: $period) {
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

export function useOverview(period: PresetPeriod) {
  return useQuery({ query: OverviewDocument, variables: { period } });
}
