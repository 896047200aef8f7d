import { FigureCard } from "@/components/ui/FigureCard";
import type { ProductDetail } from "@/features/products/api/product-detail";
import {
  formatChange,
  formatCount,
  formatCountChange,
  formatDate,
  formatMoney,
  formatMoneyChange,
  formatPercent,
  type Change,
} from "@/lib/format";
import { periodLabel, type PeriodState } from "@/lib/period";

type Performance = ProductDetail["performance"];

/** Units sold against the previous period: the API gives the difference, not a percentage. */
function unitsChange(difference: number): Change {
  const direction = difference > 0 ? "up" : difference < 0 ? "down" : "flat";
  return { text: `${formatCountChange(difference)} units`, direction };
}

/** The product's sales in the period; item sales and units against the previous period. */
export function ProductFigures({
  performance: p,
  currency,
  period,
}: {
  performance: Performance;
  currency: string;
  period: PeriodState;
}) {
  const money = (amount: string) => formatMoney(amount, currency);
  const label = periodLabel(period);
  return (
    <section aria-label={`Sales: ${label}`}>
      <div className="kpi-grid product-figures">
        <FigureCard
          label="Item sales"
          value={money(p.revenue)}
          change={formatChange(p.growthRate)}
          difference={formatMoneyChange(p.revenueChange, currency)}
          noChange="Nothing sold in the previous period"
        />
        <FigureCard label="Units sold" value={formatCount(p.unitsSold)} change={unitsChange(p.unitsChange)} />
        <FigureCard label="Orders" value={formatCount(p.orderCount)} />
        <FigureCard label="Average price" value={money(p.averagePrice)} />
        <FigureCard label="Profit" value={money(p.profit)} />
        <FigureCard label="Margin" value={formatPercent(p.profitMargin)} />
      </div>
      <p className="figures-note">
        {label}: item sales are quantity × unit price of recognised orders, before order
        discounts; profit is item sales minus cost.
      </p>
    </section>
  );
}

/** First and last recognised sale ever, in the business time zone. */
export function SaleDates({ performance: p, timezone }: { performance: Performance; timezone: string }) {
  return (
    <>
      <dt>First sale</dt>
      <dd>{p.firstSaleDate ? formatDate(p.firstSaleDate, timezone) : "Never sold"}</dd>
      <dt>Last sale</dt>
      <dd>{p.lastSaleDate ? formatDate(p.lastSaleDate, timezone) : "Never sold"}</dd>
    </>
  );
}
