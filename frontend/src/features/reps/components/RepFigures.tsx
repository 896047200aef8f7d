import { FigureCard } from "@/components/ui/FigureCard";
import type { RepDetail } from "@/features/reps/api/get-rep";
import { formatCount, formatMoney, formatRate } from "@/lib/format";

/** A rep's figures for the period. */
export function RepFigures({ rep, currency }: { rep: RepDetail; currency: string }) {
  const money = (amount: string) => formatMoney(amount, currency);
  return (
    <section className="kpi-grid" aria-label="Figures of the period">
      <FigureCard
        label="Sales"
        value={money(rep.totalSales)}
        note="Recognised orders, net of discount"
      />
      <FigureCard label="Orders" value={formatCount(rep.totalOrders)} />
      <FigureCard
        label="Customers"
        value={formatCount(rep.uniqueCustomers)}
        note="Distinct buyers"
      />
      <FigureCard label="Average order value" value={money(rep.averageOrderValue)} />
      <FigureCard
        label="Commission"
        value={money(rep.commissionEarned)}
        note={`${formatRate(rep.salesRep.commissionRate)} of sales`}
      />
      <FigureCard
        label="Profit"
        value={money(rep.totalProfit)}
        note="Item sales − cost − discount"
      />
      <FigureCard
        label="Rank"
        value={rep.rank == null ? "—" : `#${rep.rank}`}
        note={rep.rank == null ? "No sales in the period" : "Among reps with sales, by sales"}
      />
    </section>
  );
}
