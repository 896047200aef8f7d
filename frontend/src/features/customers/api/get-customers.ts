import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { CustomersQuery } from "@/gql/graphql";
import { periodVariables, type PeriodState } from "@/lib/period";

// The whole page in one round trip. Segments and cohorts do not depend on the period:
// segments are as of the last segment refresh, cohorts are the last `months` months.
const CustomersDocument = graphql(`
  query Customers($period: Period!, $dateRange: DateRangeInput, $limit: Int!, $months: Int!) {
    shopInfo {
      name
      currency
      timezone
    }
    customerSegments {
      segment
      customerCount
      percentage
      totalRevenue
      averageLifetimeValue
      averageOrderValue
    }
    topCustomers(limit: $limit, period: $period, dateRange: $dateRange) {
      customer {
        id
        name
        email
      }
      orderCount
      totalSpent
      averageOrderValue
      lastOrderDate
      daysSinceLastOrder
      recencyScore
      frequencyScore
      monetaryScore
      rfmScore
      lifetimeValue
      segment
    }
    customerRetention(period: $period, dateRange: $dateRange) {
      periodStart
      periodEnd
      activeCustomers
      newCustomers
      returningCustomers
      previousCustomers
      retainedCustomers
      churnedCustomers
      retentionRate
      churnRate
      repeatPurchaseRate
    }
    cohortRetention(months: $months) {
      cohortMonth
      size
      retention
    }
  }
`);

export type CustomersData = CustomersQuery;
export type SegmentSummary = CustomersQuery["customerSegments"][number];
export type TopCustomer = CustomersQuery["topCustomers"][number];
export type Retention = CustomersQuery["customerRetention"];
export type Cohort = CustomersQuery["cohortRetention"][number];

export interface CustomersView {
  /** How many top customers to list. */
  limit: number;
  /** How many monthly cohorts the heatmap shows. */
  months: number;
}

export function useCustomers(period: PeriodState, view: CustomersView) {
  return useQuery({
    query: CustomersDocument,
    variables: { ...periodVariables(period), limit: view.limit, months: view.months },
  });
}
