import { useId, useMemo } from "react";

import { BarList, type Bar } from "@/components/charts/BarList";
import { DataTable } from "@/components/table/DataTable";
import { Skeleton } from "@/components/ui/Skeleton";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Sort } from "@/components/table/columns";
import type { MarginRow, Profitability } from "@/features/profit/api/get-profit";
import { GROUPINGS, groupLabel, isTimeGrouping } from "@/features/profit/lib/groupings";
import { isSortColumn, requestLimit, type MarginView } from "@/features/profit/lib/margin-view";
import { sortMarginRows } from "@/features/profit/lib/sort-margin-rows";
import { formatMoney, formatPercent } from "@/lib/format";

import { marginColumns } from "./margin-columns";
import { MarginControls } from "./MarginControls";
import { MarginSeries } from "./MarginSeries";

const BARS = 10;
/** Longer tables scroll in a box of this height (rendering only the rows in view). */
const SCROLL_ROWS = 15;
const SCROLL_HEIGHT = 520;

export interface MarginAnalysisProps {
  rows: readonly MarginRow[];
  /** The rows of the chosen grouping are on their way. */
  loading: boolean;
  view: MarginView;
  onViewChange: (next: Partial<MarginView>) => void;
  totals: Profitability;
  currency: string;
  timezone: string;
  /** Names the exported file's period, e.g. "MONTH" or "2026-01-01_2026-01-31". */
  periodSlug: string;
}

/** Revenue, cost, profit and margin per group: the switch, a chart and the table. */
export function MarginAnalysis(props: MarginAnalysisProps) {
  const { rows, view, onViewChange, totals, currency, timezone } = props;
  const id = useId();
  const grouping = GROUPINGS[view.groupBy];
  const columns = useMemo(() => marginColumns(view.groupBy, currency), [view.groupBy, currency]);
  const sorted = useMemo(
    () => sortMarginRows(rows, view.sort, grouping.time),
    [rows, view.sort, grouping.time],
  );
  const cut = rows.length >= requestLimit(view);
  const caption = cut
    ? `The ${rows.length} most profitable ${grouping.plural}`
    : `All ${rows.length} ${rows.length === 1 ? grouping.label.toLowerCase() : grouping.plural}`;
  const onSortChange = (sort: Sort) => {
    if (isSortColumn(sort.id)) onViewChange({ sort: { id: sort.id, desc: sort.desc } });
  };
  return (
    <section className="panel profit-margin" aria-labelledby={id}>
      <div className="profit-margin__bar">
        <h2 id={id}>Margin by {grouping.label.toLowerCase()}</h2>
        <MarginControls view={view} onChange={onViewChange} />
        {!props.loading && (
          <ExportCsvButton
            filename={`profit-by-${view.groupBy.toLowerCase()}-${props.periodSlug}`}
            build={async () => columnsToCsv(columns, sorted)}
          />
        )}
      </div>
      {props.loading ? (
        <div aria-busy="true" aria-label={`Loading the margin by ${grouping.label.toLowerCase()}`}>
          <Skeleton height="16rem" />
        </div>
      ) : rows.length === 0 ? (
        <p className="profit-margin__none">
          No {grouping.plural} with recognised sales in this period
          {view.groupBy === "SALES_REP" ? " (online orders have no rep)" : ""}.
        </p>
      ) : (
        <div className="profit-margin__body">
          {isTimeGrouping(view.groupBy) ? (
            <MarginSeries
              rows={rows}
              groupBy={view.groupBy}
              periodStart={totals.periodStart}
              periodEnd={totals.periodEnd}
              currency={currency}
              timezone={timezone}
            />
          ) : (
            <BarList
              title={`Profit by ${grouping.label.toLowerCase()}${rows.length > BARS ? `: top ${BARS}` : ""}`}
              bars={bars(rows.slice(0, BARS), view, currency)}
            />
          )}
          <div>
            <DataTable
              caption={caption}
              columns={columns}
              rows={sorted}
              rowKey={(row) => row.groupId}
              rowHeader="group"
              sort={view.sort}
              onSortChange={onSortChange}
              virtualHeight={sorted.length > SCROLL_ROWS ? SCROLL_HEIGHT : undefined}
            />
            <p className="profit-note">{definition(view)}</p>
          </div>
        </div>
      )}
    </section>
  );
}

function bars(rows: readonly MarginRow[], view: MarginView, currency: string): Bar[] {
  return rows.map((row) => ({
    key: row.groupId,
    label: groupLabel(view.groupBy, row.groupName),
    weight: Number(row.profit),
    display: `${formatMoney(row.profit, currency)} · ${formatPercent(row.margin)} margin`,
  }));
}

function definition(view: MarginView): string {
  const grouping = GROUPINGS[view.groupBy];
  const sales = grouping.itemSales
    ? "Item sales are quantity × unit price before order discounts; profit = item sales − cost."
    : "Revenue is net of order discounts; profit = revenue − cost.";
  const share = grouping.time
    ? "Share of profit: of the whole period's profit."
    : `Share of profit: of all ${grouping.plural}' profit, listed or not.`;
  const reps = view.groupBy === "SALES_REP" ? " Online orders (without a rep) are left out." : "";
  return `${sales} ${share}${reps} Recognised orders only.`;
}
