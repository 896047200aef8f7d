import { useMemo } from "react";

import type { Profitability } from "@/features/profit/api/get-profit";

import { BreakdownPanel } from "./BreakdownPanel";
import { productColumns, segmentColumns } from "./breakdown-columns";

/** Profit by customer segment (with orders and discounts), and the most profitable products. */
export function ProfitBreakdowns({
  totals,
  currency,
  periodSlug,
}: {
  totals: Profitability;
  currency: string;
  periodSlug: string;
}) {
  const columns = useMemo(
    () => ({
      segment: segmentColumns(currency),
      product: productColumns(currency),
    }),
    [currency],
  );
  return (
    <div className="profit-breakdowns">
      <BreakdownPanel
        title="Profit by customer segment"
        filename={`profit-by-segment-${periodSlug}`}
        columns={columns.segment}
        rows={totals.byCustomerSegment}
        rowKey={(row) => row.segment}
        rowHeader="segment"
        note="Each customer's current segment; revenue net of discounts, profit = revenue − cost."
      />
      <BreakdownPanel
        title="Most profitable products"
        filename={`profit-top-products-${periodSlug}`}
        columns={columns.product}
        rows={totals.byProduct}
        rowKey={(row) => row.product.id}
        rowHeader="product"
        note="The 20 products with the most profit; item sales before order discounts, profit = item sales − cost."
      />
    </div>
  );
}
