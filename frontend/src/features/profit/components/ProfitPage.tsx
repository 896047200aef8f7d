import { useEffect } from "react";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { PeriodSpan } from "@/components/period/PeriodSpan";
import { EmptyState } from "@/components/ui/EmptyState";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { DataAsOf } from "@/components/ui/DataAsOf";
import { useProfit, type ProfitData } from "@/features/profit/api/get-profit";
import { useKept } from "@/features/profit/hooks/use-kept";
import { useMarginView } from "@/features/profit/hooks/use-margin-view";
import { requestLimit, type MarginView } from "@/features/profit/lib/margin-view";
import { usePeriodParams } from "@/hooks/use-period-params";
import { periodLabel, periodSlug, type PeriodState } from "@/lib/period";

import { MarginAnalysis } from "./MarginAnalysis";
import { ProfitBreakdowns } from "./ProfitBreakdowns";
import { ProfitFigures } from "./ProfitFigures";
import { ProfitSkeleton } from "./ProfitSkeleton";
import "../profit.css";

export function ProfitPage() {
  const [period, setPeriod] = usePeriodParams();
  const [view, setView] = useMarginView();
  const [result, reexecute] = useProfit({ period, groupBy: view.groupBy, limit: requestLimit(view) });
  const shown = useKept(result.data, view.groupBy);
  const retry = () => reexecute({ requestPolicy: "network-only" });
  const shopName = shown?.data.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `Profit · ${shopName}` : "Profit";
  }, [shopName]);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Profit</h1>
          {shown && <PeriodSpan shop={shown.data.shopInfo} span={shown.data.profitabilityMetrics} />}
        </div>
        <PeriodPicker value={period} onChange={setPeriod} timezone={shown?.data.shopInfo.timezone} />
      </header>
      {result.error && !result.data ? (
        <ApiErrorState error={result.error} what="the profit figures" onRetry={retry} />
      ) : shown ? (
        <div className="profit-body" aria-busy={result.fetching || result.data !== shown.data}>
          <ProfitBody
            data={shown.data}
            period={period}
            view={view}
            onViewChange={setView}
            stale={shown.key !== view.groupBy}
          />
          <DataAsOf dataAsOf={result.extensions?.dataAsOf} timezone={shown.data.shopInfo.timezone} />
        </div>
      ) : (
        <ProfitSkeleton />
      )}
    </>
  );
}

interface ProfitBodyProps {
  data: ProfitData;
  period: PeriodState;
  view: MarginView;
  onViewChange: (next: Partial<MarginView>) => void;
  /** The margin rows shown are for another grouping (the new one is loading). */
  stale: boolean;
}

function ProfitBody({ data, period, view, onViewChange, stale }: ProfitBodyProps) {
  const { currency, timezone } = data.shopInfo;
  const totals = data.profitabilityMetrics;
  const slug = periodSlug(period);
  const label = periodLabel(period);
  return (
    <>
      <ProfitFigures totals={totals} currency={currency} />
      {totals.byProduct.length === 0 ? (
        <EmptyState title={`No sales: ${period.period === "CUSTOM" ? label : label.toLowerCase()}`}>
          No recognised order in this period, so no profit to analyse. Pick a longer period above,
          or import orders with <code>shopx import FILE.csv</code>.
        </EmptyState>
      ) : (
        <>
          <MarginAnalysis
            rows={stale ? [] : data.marginAnalysis}
            loading={stale}
            view={view}
            onViewChange={onViewChange}
            totals={totals}
            currency={currency}
            timezone={timezone}
            periodSlug={slug}
          />
          <ProfitBreakdowns totals={totals} currency={currency} periodSlug={slug} />
        </>
      )}
    </>
  );
}
