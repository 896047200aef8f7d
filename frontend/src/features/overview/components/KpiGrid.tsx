import type { Overview } from "@/features/overview/api/get-overview";
import { formatChange, formatCount, formatMoney, formatPercent } from "@/lib/format";

import { KpiCard } from "./KpiCard";

// The API compares revenue, orders, AOV and customers with the previous period; units,
// profit and margin carry no comparison yet.
const NOT_COMPARED = "No comparison from the API yet";

export function KpiGrid({ overview, currency }: { overview: Overview; currency: string }) {
  const money = (amount: string) => formatMoney(amount, currency);
  return (
    <section className="kpi-grid" aria-label="Key figures">
      <KpiCard
        label="Revenue"
        value={money(overview.totalRevenue)}
        change={formatChange(overview.revenueChangePercentage)}
      />
      <KpiCard
        label="Orders"
        value={formatCount(overview.totalOrders)}
        change={formatChange(overview.ordersChangePercentage)}
      />
      <KpiCard
        label="Average order value"
        value={money(overview.averageOrderValue)}
        change={formatChange(overview.aovChangePercentage)}
      />
      <KpiCard
        label="Customers"
        value={formatCount(overview.uniqueCustomers)}
        change={formatChange(overview.customersChangePercentage)}
      />
      <KpiCard
        label="Units sold"
        value={formatCount(overview.unitsSold)}
        change={null}
        noChange={NOT_COMPARED}
      />
      <KpiCard
        label="Profit"
        value={money(overview.totalProfit)}
        change={null}
        noChange={NOT_COMPARED}
      />
      <KpiCard
        label="Profit margin"
        value={formatPercent(overview.profitMargin)}
        change={null}
        noChange={NOT_COMPARED}
      />
    </section>
  );
}
