import { useId, useMemo } from "react";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { changeColumn, countColumn, moneyColumn, percentColumn } from "@/components/table/column-kinds";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { useTopProducts, type TopProductRow } from "@/features/products/api/top-products";
import { PRODUCT_SORTS, useLimitParam, useTopSortParam } from "@/features/products/lib/view-params";
import type { ProductSort } from "@/gql/graphql";
import { usePeriodParams } from "@/hooks/use-period-params";
import { periodLabel, periodPhrase, periodSlug } from "@/lib/period";

import { LimitSelect } from "./LimitSelect";
import { LoadState } from "./LoadState";
import { onScreen, productColumns } from "./columns";

function topColumns(currency: string): Column<TopProductRow>[] {
  return [
    { id: "rank", header: "#", value: (r) => r.rank, numeric: true },
    ...productColumns<TopProductRow>(),
    moneyColumn("revenue", "Item sales", (r) => r.revenue, currency),
    countColumn("units", "Units", (r) => r.unitsSold),
    countColumn("orders", "Orders", (r) => r.orderCount),
    moneyColumn("profit", "Profit", (r) => r.profit, currency),
    percentColumn("margin", "Margin", (r) => r.profitMargin),
    changeColumn("growth", "Growth", (r) => r.growthRate),
  ];
}

/** Best (or worst) products of a period, ranked by any measure the API ranks by. */
export function TopProductsView() {
  const id = useId();
  const [period, setPeriod] = usePeriodParams();
  const [limit, setLimit] = useLimitParam();
  const [sortBy, setSort] = useTopSortParam();
  const [result, reexecute] = useTopProducts(limit, sortBy, period);
  const data = result.data;
  const currency = data?.shopInfo.currency;
  const columns = useMemo(() => (currency ? topColumns(currency) : []), [currency]);
  const shown = useMemo(() => onScreen(columns), [columns]);
  const label = periodLabel(period);
  const sortLabel = PRODUCT_SORTS.find((s) => s.sort === sortBy)?.label ?? sortBy;

  return (
    <section aria-label="Top products">
      <div className="view-bar">
        <div className="view-bar__controls">
          <div className="view-control">
            <label htmlFor={`${id}-sort`}>Rank by</label>
            <select
              id={`${id}-sort`}
              value={sortBy}
              onChange={(event) => setSort(event.target.value as ProductSort)}
            >
              {PRODUCT_SORTS.map(({ sort, label: text }) => (
                <option key={sort} value={sort}>
                  {text}
                </option>
              ))}
            </select>
          </div>
          <LimitSelect value={limit} onChange={setLimit} />
        </div>
        <PeriodPicker value={period} onChange={setPeriod} timezone={data?.shopInfo.timezone} />
      </div>
      {data ? (
        data.topProducts.length === 0 ? (
          <EmptyState title={`No products sold: ${periodPhrase(period)}`}>
            Nothing was sold in this period. Pick a longer period above.
          </EmptyState>
        ) : (
          <div className="panel">
            <div className="table-toolbar">
              <p className="table-toolbar__count">
                Item sales before order discounts, recognised orders only; growth compares with
                the previous period of equal length.
              </p>
              <ExportCsvButton
                filename={`top-products-${periodSlug(period)}`}
                build={async () => columnsToCsv(columns, data.topProducts)}
              />
            </div>
            <DataTable<TopProductRow>
              caption={`Top ${data.topProducts.length} products: ${sortLabel.toLowerCase()} (${label})`}
              columns={shown}
              rows={data.topProducts}
              rowKey={(r) => r.product.id}
              rowHeader="product"
            />
          </div>
        )
      ) : (
        <LoadState error={result.error} what="top products" retry={reexecute} loadingLabel="Loading top products" />
      )}
    </section>
  );
}
