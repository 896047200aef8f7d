import { FigureCard } from "@/components/ui/FigureCard";
import type { Profitability } from "@/features/profit/api/get-profit";
import { formatMoney, formatPercent } from "@/lib/format";

/** The period's totals, order-level: revenue is net of discounts. */
export function ProfitFigures({ totals, currency }: { totals: Profitability; currency: string }) {
  const money = (amount: string) => formatMoney(amount, currency);
  return (
    <section className="kpi-grid profit-figures" aria-label="Profit totals">
      <FigureCard label="Revenue" value={money(totals.totalRevenue)} note="Net of order discounts" />
      <FigureCard label="Cost" value={money(totals.totalCost)} note="Item cost at the time of sale" />
      <FigureCard label="Discounts" value={money(totals.totalDiscount)} note="Order-level discounts given" />
      <FigureCard label="Profit" value={money(totals.totalProfit)} note="Revenue − cost" />
      <FigureCard label="Profit margin" value={formatPercent(totals.profitMargin)} note="Profit / revenue" />
      <FigureCard
        label="Profit per order"
        value={money(totals.averageOrderProfit)}
        note="Average over recognised orders"
      />
    </section>
  );
}
