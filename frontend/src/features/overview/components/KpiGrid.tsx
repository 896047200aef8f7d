import { useId } from "react";

import { FigureCard, type FigureCardProps } from "@/components/ui/FigureCard";
import type { Overview } from "@/features/overview/api/get-overview";
import {
  formatChange,
  formatCount,
  formatCountChange,
  formatMoney,
  formatMoneyChange,
  formatPercent,
  formatPointsChange,
} from "@/lib/format";

import { LiveValue } from "./LiveValue";

export interface KpiGridProps {
  overview: Overview;
  currency: string;
  /** "previous period" or "previous year". */
  comparison: string;
}

/** A key figure, highlighted when a live update changes it. */
function Card(props: Omit<FigureCardProps, "highlight">) {
  return <FigureCard {...props} highlight={LiveValue} />;
}

export function KpiGrid({ overview, currency, comparison }: KpiGridProps) {
  const id = useId();
  const money = (amount: string) => formatMoney(amount, currency);
  const moneyChange = (amount: string) => formatMoneyChange(amount, currency);
  return (
    <section className="kpi-grid" aria-labelledby={id}>
      <h2 id={id} className="visually-hidden">
        Key figures
      </h2>
      <Card
        label="Revenue"
        value={money(overview.totalRevenue)}
        change={formatChange(overview.revenueChangePercentage)}
        difference={moneyChange(overview.revenueChange)}
        comparison={comparison}
      />
      <Card
        label="Orders"
        value={formatCount(overview.totalOrders)}
        change={formatChange(overview.ordersChangePercentage)}
        difference={formatCountChange(overview.ordersChange)}
        comparison={comparison}
      />
      <Card
        label="Average order value"
        value={money(overview.averageOrderValue)}
        change={formatChange(overview.aovChangePercentage)}
        difference={moneyChange(overview.aovChange)}
        comparison={comparison}
      />
      <Card
        label="Customers"
        value={formatCount(overview.uniqueCustomers)}
        change={formatChange(overview.customersChangePercentage)}
        difference={formatCountChange(overview.customersChange)}
        comparison={comparison}
      />
      <Card
        label="Units sold"
        value={formatCount(overview.unitsSold)}
        change={formatChange(overview.unitsChangePercentage)}
        difference={formatCountChange(overview.unitsChange)}
        comparison={comparison}
      />
      <Card
        label="Profit"
        value={money(overview.totalProfit)}
        change={formatChange(overview.profitChangePercentage)}
        difference={moneyChange(overview.profitChange)}
        comparison={comparison}
      />
      <Card
        label="Profit margin"
        value={formatPercent(overview.profitMargin)}
        change={formatPointsChange(overview.marginChange)}
        comparison={comparison}
      />
    </section>
  );
}
