import { useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorState } from "@/components/ui/ErrorState";
import { Skeleton } from "@/components/ui/Skeleton";
import { useLowStock, type LowStockRow } from "@/features/products/api/low-stock";
import { DEFAULT_LIMIT, readLimit, withParam } from "@/features/products/lib/view-params";
import { formatCount } from "@/lib/format";

import { LimitSelect } from "./LimitSelect";
import { StockLevel } from "./StockLevel";
import { describeError } from "./describe-error";

const days = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const rate = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// The export has the SKU in its own column; the screen shows it under the name.
const LOW_STOCK_COLUMNS: Column<LowStockRow>[] = [
  {
    id: "product",
    header: "Product",
    value: (r) => r.product.name,
    cell: (r) => (
      <>
        <Link to={`/products/${r.product.id}`}>{r.product.name}</Link>
        <span className="table__sub">{r.product.sku}</span>
      </>
    ),
  },
  { id: "sku", header: "SKU", value: (r) => r.product.sku },
  {
    id: "stock",
    header: "Stock",
    value: (r) => r.stockQuantity,
    cell: (r) => <StockLevel stock={r.stockQuantity} reorderLevel={r.reorderLevel} />,
    numeric: true,
  },
  { id: "reorder", header: "Reorder at", value: (r) => r.reorderLevel, cell: (r) => formatCount(r.reorderLevel), numeric: true },
  {
    id: "sold",
    header: "Sold, last 30 days",
    value: (r) => r.unitsSoldLast30Days,
    cell: (r) => formatCount(r.unitsSoldLast30Days),
    numeric: true,
  },
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
  const [params, setParams] = useSearchParams();
  const limit = readLimit(params);
  const [result, reexecute] = useLowStock(limit);
  const setLimit = (next: number) =>
    setParams((current) => withParam(current, "limit", String(next), String(DEFAULT_LIMIT)));
  const rows = result.data?.lowStockProducts;
  const columns = useMemo(() => LOW_STOCK_COLUMNS.filter((c) => c.id !== "sku"), []);
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
      ) : result.error ? (
        <ErrorState
          {...describeError(result.error, "the low-stock list")}
          onRetry={() => reexecute({ requestPolicy: "network-only" })}
        />
      ) : (
        <div aria-busy="true" aria-label="Loading low stock">
          <Skeleton height="20rem" />
        </div>
      )}
    </section>
  );
}
