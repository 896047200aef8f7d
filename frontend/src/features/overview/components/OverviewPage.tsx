import { useCallback, useEffect, useState } from "react";
import type { Operation } from "urql";

import { ComparisonToggle } from "@/components/period/ComparisonToggle";
import { PeriodSpan } from "@/components/period/PeriodSpan";
import { PeriodPicker } from "@/components/period/PeriodPicker";
import { EmptyState } from "@/components/ui/EmptyState";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { DataAsOf } from "@/components/ui/DataAsOf";
import {
  overviewVariables,
  useOverview,
  type OverviewData,
} from "@/features/overview/api/get-overview";
import { useLiveUpdates } from "@/features/overview/api/live-updates";
import { usePeriodParams } from "@/hooks/use-period-params";
import type { Comparison } from "@/gql/graphql";
import { COMPARISONS, periodLabel, periodSlug, type PeriodState } from "@/lib/period";

import { AlertsCard } from "./AlertsCard";
import { CategoryShareList, CustomerSegmentList } from "./Breakdowns";
import { KpiGrid } from "./KpiGrid";
import { LiveStatus } from "./LiveStatus";
import { LiveValue, ViewContext } from "./LiveValue";
import { OverviewSkeleton } from "./OverviewSkeleton";
import { RegionsTable } from "./RegionsTable";
import { TopProductsTable } from "./TopProductsTable";
import { TopRepsTable } from "./TopRepsTable";
import { TrendCharts } from "./TrendCharts";
import "../overview.css";

/** An answer the page can show, with the operation it answers. */
interface Answer {
  data: OverviewData;
  operation: Operation;
}

export function OverviewPage() {
  const [period, setPeriod] = usePeriodParams();
  const [result, reexecute] = useOverview(period);
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const live = useLiveUpdates(period.period, refresh);

  // A failed refresh keeps the numbers it had for the same view, with a note; a view that
  // never loaded shows the error instead.
  const [last, setLast] = useState<Answer | null>(null);
  const current = result.data && result.operation ? { data: result.data, operation: result.operation } : null;
  if (current && current.data !== last?.data) setLast(current);
  const kept = last && result.error && last.operation.key === result.operation?.key ? last : null;
  const shown = current ?? kept;

  const shopName = shown?.data.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `Overview · ${shopName}` : "Overview";
  }, [shopName]);

  const wanted = JSON.stringify(overviewVariables(period));
  const updating = shown !== null && JSON.stringify(shown.operation.variables) !== wanted;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Overview</h1>
          {shown && <PeriodSpan shop={shown.data.shopInfo} span={shown.data.salesOverview} />}
        </div>
        <LiveStatus status={live} />
      </header>
      <div className="overview__toolbar">
        <PeriodPicker value={period} onChange={setPeriod} timezone={shown?.data.shopInfo.timezone} />
        <ComparisonToggle value={period.compareTo} onChange={(compareTo) => setPeriod({ compareTo })} />
      </div>
      {kept && result.error && (
        <div className="notice notice--error overview__stale" role="alert">
          <p>
            The numbers could not be refreshed ({result.error.message}); these are the last
            ones read.
          </p>
          <button type="button" className="button" onClick={refresh}>
            Try again
          </button>
        </div>
      )}
      {shown ? (
        <OverviewBody answer={shown} period={period} updating={updating} />
      ) : result.error ? (
        <ApiErrorState error={result.error} what="the overview" onRetry={refresh} />
      ) : (
        <OverviewSkeleton />
      )}
    </>
  );
}

function comparisonLabel(compareTo: Comparison): string {
  return COMPARISONS.find((c) => c.compareTo === compareTo)?.label ?? "Previous period";
}

interface OverviewBodyProps {
  answer: Answer;
  period: PeriodState;
  /** The answer is another view's, shown while the chosen one loads. */
  updating: boolean;
}

function OverviewBody({ answer, period, updating }: OverviewBodyProps) {
  const { data, operation } = answer;
  const { currency, timezone } = data.shopInfo;
  const overview = data.salesOverview;
  const compareTo = (operation.variables as { compareTo?: Comparison }).compareTo ?? "PREVIOUS_PERIOD";
  const label = periodLabel(period);
  const slug = periodSlug(period);
  return (
    <ViewContext.Provider value={operation.key}>
      <div className={updating ? "overview__body overview__body--updating" : "overview__body"} aria-busy={updating}>
        <KpiGrid
          overview={overview}
          currency={currency}
          comparison={comparisonLabel(compareTo).toLowerCase()}
        />
        <AlertsCard timezone={timezone} />
        {overview.totalOrders === 0 ? (
          <EmptyState title={`No orders: ${period.period === "CUSTOM" ? label : label.toLowerCase()}`}>
            Nothing was sold in this period yet. Pick a longer period above, or import orders
            with <code>shopx import FILE.csv</code>.
          </EmptyState>
        ) : (
          <>
            <div className="panels">
              <TrendCharts
                points={data.salesTrends}
                currency={currency}
                comparedLabel={comparisonLabel(compareTo)}
              />
            </div>
            <div className="panels overview__wide-first">
              <section className="panel" aria-label="Top products">
                <TopProductsTable
                  rows={data.topProducts}
                  currency={currency}
                  filename={`top-products-${slug}`}
                />
              </section>
              <section className="panel" aria-label="Top sales reps">
                <TopRepsTable
                  rows={data.topSalesReps}
                  currency={currency}
                  filename={`top-sales-reps-${slug}`}
                />
              </section>
            </div>
            <div className="panels">
              <section className="panel" aria-label="Category share">
                <CategoryShareList categories={data.categoryBreakdown} currency={currency} />
              </section>
              <section className="panel" aria-label="Customer segments">
                <CustomerSegmentList segments={data.customerSegments} currency={currency} />
              </section>
            </div>
            <section className="panel" aria-label="Regions">
              <RegionsTable
                regions={data.regionalPerformance}
                currency={currency}
                filename={`regions-${slug}`}
              />
            </section>
          </>
        )}
        <DataAsOf dataAsOf={overview.dataAsOf} timezone={timezone} highlight={LiveValue} />
      </div>
    </ViewContext.Provider>
  );
}
