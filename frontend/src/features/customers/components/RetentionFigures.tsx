import { FigureCard } from "@/components/ui/FigureCard";
import type { Retention } from "@/features/customers/api/get-customers";
import { formatCount, formatPercent } from "@/lib/format";

/** A plain ratio (0.25) as a percentage ("25.0%"). */
const ratio = (value: number | null | undefined) =>
  formatPercent(value == null ? null : value * 100);

/** New, returning and churned customers of the period, against the period before it. */
export function RetentionFigures({ retention }: { retention: Retention }) {
  const previous = formatCount(retention.previousCustomers);
  const noPrevious =
    retention.previousCustomers === 0 ? "Nobody bought in the previous period" : null;
  return (
    <div className="kpi-grid">
      <FigureCard
        label="Active customers"
        value={formatCount(retention.activeCustomers)}
        note="With a recognised order in the period"
      />
      <FigureCard
        label="New customers"
        value={formatCount(retention.newCustomers)}
        note="First order ever in the period"
      />
      <FigureCard
        label="Returning customers"
        value={formatCount(retention.returningCustomers)}
        note="Had ordered before the period"
      />
      <FigureCard
        label="Churned customers"
        value={formatCount(retention.churnedCustomers)}
        note={`Of ${previous} active in the previous period, no order in this one`}
      />
      <FigureCard
        label="Retention rate"
        value={ratio(retention.retentionRate)}
        note={noPrevious ?? `${formatCount(retention.retainedCustomers)} of ${previous} came back`}
      />
      <FigureCard
        label="Churn rate"
        value={ratio(retention.churnRate)}
        note={noPrevious ?? "Retention rate + churn rate = 100%"}
      />
      <FigureCard
        label="Repeat purchase rate"
        value={ratio(retention.repeatPurchaseRate)}
        note="Active customers with two or more orders in the period"
      />
    </div>
  );
}
