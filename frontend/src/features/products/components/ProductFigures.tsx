import { useId, type ReactNode } from "react";

import type { ProductDetail } from "@/features/products/api/product-detail";
import {
  formatChange,
  formatCount,
  formatDate,
  formatMoney,
  formatMoneyChange,
  formatPercent,
  type Direction,
} from "@/lib/format";
import { periodLabel, type PeriodState } from "@/lib/period";

type Performance = ProductDetail["performance"];

const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

function Figure({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  const id = useId();
  return (
    <article className="kpi" aria-labelledby={id}>
      <h3 id={id} className="kpi__label">
        {label}
      </h3>
      <p className="kpi__value">{value}</p>
      {children}
    </article>
  );
}

function Change({ direction, children }: { direction: Direction | null; children: ReactNode }) {
  return (
    <p className={`kpi__change kpi__change--${direction ?? "none"}`}>
      {direction && <span aria-hidden="true">{ARROWS[direction]} </span>}
      {children} <span className="kpi__note">vs previous period</span>
    </p>
  );
}

const directionOf = (value: number): Direction => (value > 0 ? "up" : value < 0 ? "down" : "flat");

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
  const growth = formatChange(p.growthRate);
  const label = periodLabel(period);
  return (
    <section aria-label={`Sales: ${label}`}>
      <div className="kpi-grid product-figures">
        <Figure label="Item sales" value={money(p.revenue)}>
          <Change direction={growth?.direction ?? null}>
            {growth ? `${growth.text} (${formatMoneyChange(p.revenueChange, currency)})` : formatMoneyChange(p.revenueChange, currency)}
          </Change>
        </Figure>
        <Figure label="Units sold" value={formatCount(p.unitsSold)}>
          <Change direction={directionOf(p.unitsChange)}>
            {p.unitsChange > 0 ? "+" : ""}
            {formatCount(p.unitsChange)} units
          </Change>
        </Figure>
        <Figure label="Orders" value={formatCount(p.orderCount)} />
        <Figure label="Average price" value={money(p.averagePrice)} />
        <Figure label="Profit" value={money(p.profit)} />
        <Figure label="Margin" value={formatPercent(p.profitMargin)} />
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
