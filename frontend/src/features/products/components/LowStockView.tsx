import { useMemo } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { countColumn } from "@/components/table/column-kinds";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { useLowStock, type LowStockRow } from "@/features/products/api/low-stock";
import { useLimitParam } from "@/features/products/lib/view-params";
import { formatCount } from "@/lib/format";

import { LimitSelect } from "./LimitSelect";
import { StockLevel } from "./StockLevel";
import { LoadState } from "./LoadState";
import { onScreen, productColumns } from "./columns";

const days = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const rate = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const LOW_STOCK_COLUMNS: Column<LowStockRow>[] = [
  ...productColumns<LowStockRow>(),
  {
    id: "stock",
    header: "Stock",
    value: (r) => r.stockQuantity,
    cell: (r) => <StockLevel stock={r.stockQuantity} reorderLevel={r.reorderLevel} />,
    numeric: true,
  },
  countColumn("reorder", "Reorder at", (r) => r.reorderLevel),
  countColumn("sold", "Sold, last 30 days", (r) => r.unitsSoldLast30Days),
  { id: "rate", header: "Per day", value: (r) => r.dailySalesRate, cell: (r) => rate.format(r.dailySalesRate), numeric: true },
  {
    id: "days",
    header: "Days of stock left",
    value: (r) => r.daysOfStockLeft,
    cell: (r) =>
      r.stockQuantity <= 0
        ? "None left"
        : r.daysOfStockLeft == null
          ? "No sales in 30 days"
          : days.format(r.daysOfStockLeft),
    numeric: true,
  },
];

/** Active products at or below their reorder level, soonest to run out first. */
export function LowStockView() {
  const [limit, setLimit] = useLimitParam();
  const [result, reexecute] = useLowStock(limit);
  const rows = result.data?.lowStockProducts;
  const columns = useMemo(() => onScreen(LOW_STOCK_COLUMNS), []);
  return (
    <section aria-label="Low stock">
      <div className="view-bar">
        <p className="view-bar__note">
          Active products at or below their reorder level, soonest to run out first; the sales
          rate counts the last 30 days, whatever period other views show.
        </p>
        <LimitSelect value={limit} onChange={setLimit} />
      </div>
      {rows ? (
        rows.length === 0 ? (
          <EmptyState title="Nothing is running low">
            No active product is at or below its reorder level.
          </EmptyState>
        ) : (
          <div className="panel">
            <div className="table-toolbar">
              <p className="table-toolbar__count">
                {rows.length === limit
                  ? `The ${formatCount(limit)} soonest to run out (more may be running low)`
                  : `${formatCount(rows.length)} products running low`}
              </p>
              <ExportCsvButton
                filename="low-stock"
                build={async () => columnsToCsv(LOW_STOCK_COLUMNS, rows)}
              />
            </div>
            <DataTable<LowStockRow>
              caption="Products running low"
              columns={columns}
              rows={rows}
              rowKey={(r) => r.product.id}
              rowHeader="product"
            />
          </div>
        )
      ) : (
        <LoadState error={result.error} what="the low-stock list" retry={reexecute} loadingLabel="Loading low stock" />
      )}
    </section>
  );
}
