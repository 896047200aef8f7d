import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { MarginGroupBy, ProfitQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

// The whole page in one round trip: the shop's formatting facts, the period's profit with
// its breakdowns, and the margin analysis for the chosen grouping. The per-category
// breakdown is not asked for: it is the margin analysis grouped by CATEGORY.
const ProfitDocument = graphql(`
  query Profit($period: Period!, $dateRange: DateRangeInput, $groupBy: MarginGroupBy!, $limit: Int!) {
    shopInfo {
      name
      currency
      timezone
    }
    profitabilityMetrics(period: $period, dateRange: $dateRange) {
      periodStart
      periodEnd
      totalRevenue
      totalCost
      totalDiscount
      totalProfit
      profitMargin
      averageOrderProfit
      byProduct {
        rank
        product {
          id
          name
          sku
        }
        revenue
        unitsSold
        profit
        profitMargin
      }
      byCustomerSegment {
        segment
        orders
        revenue
        cost
        discount
        profit
        margin
      }
    }
    marginAnalysis(groupBy: $groupBy, period: $period, dateRange: $dateRange, limit: $limit) {
      groupId
      groupName
      revenue
      cost
      profit
      margin
      contribution
    }
  }
`);

export type ProfitData = ProfitQuery;
export type Profitability = ProfitQuery["profitabilityMetrics"];
export type ProductProfitRow = Profitability["byProduct"][number];
export type SegmentProfitRow = Profitability["byCustomerSegment"][number];
export type MarginRow = ProfitQuery["marginAnalysis"][number];

export interface ProfitView {
  period: PeriodState;
  groupBy: MarginGroupBy;
  limit: number;
}

export function useProfit({ period, groupBy, limit }: ProfitView) {
  return useQuery({
    query: ProfitDocument,
    variables: { ...periodVariables(period), groupBy, limit },
  });
}
