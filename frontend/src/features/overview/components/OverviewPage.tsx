import { useEffect } from "react";
import type { CombinedError } from "urql";

import { EmptyState } from "@/components/ui/EmptyState";
import { ErrorState } from "@/components/ui/ErrorState";
import { PeriodPicker } from "@/components/period/PeriodPicker";
import { useOverview, type OverviewData } from "@/features/overview/api/get-overview";
import { usePeriodParams } from "@/hooks/use-period-params";
import { formatDateTime } from "@/lib/format";
import { periodLabel, type PeriodState } from "@/lib/period";

import { DataAsOf } from "./DataAsOf";
import { KpiGrid } from "./KpiGrid";
import { OverviewSkeleton } from "./OverviewSkeleton";
import { TopProductsTable } from "./TopProductsTable";
import { TopRepsTable } from "./TopRepsTable";

export function OverviewPage() {
  const [period, setPeriod] = usePeriodParams();
  const [result, reexecute] = useOverview(period);
  const retry = () => reexecute({ requestPolicy: "network-only" });
  const shopName = result.data?.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `Overview · ${shopName}` : "Overview";
  }, [shopName]);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Overview</h1>
          {result.data && <PeriodLine data={result.data} />}
        </div>
        <PeriodPicker value={period} onChange={setPeriod} timezone={result.data?.shopInfo.timezone} />
      </header>
      {result.data ? (
        <OverviewBody data={result.data} period={period} />
      ) : result.error ? (
        <ErrorState {...describeError(result.error)} onRetry={retry} />
      ) : (
        <OverviewSkeleton />
      )}
    </>
  );
}

function PeriodLine({ data }: { data: OverviewData }) {
  const { periodStart, periodEnd } = data.dashboardOverview.overview;
  const { timezone, name } = data.shopInfo;
  return (
    <p className="page-header__sub">
      {name}: {formatDateTime(periodStart, timezone)} to {formatDateTime(periodEnd, timezone)}
    </p>
  );
}

function OverviewBody({ data, period }: { data: OverviewData; period: PeriodState }) {
  const { currency, timezone } = data.shopInfo;
  const { overview, topProducts, topSalesReps, generatedAt } = data.dashboardOverview;
  const label = periodLabel(period);
  return (
    <>
      <KpiGrid overview={overview} currency={currency} />
      {overview.totalOrders === 0 ? (
        <EmptyState title={`No orders: ${period.period === "CUSTOM" ? label : label.toLowerCase()}`}>
          Nothing was sold in this period yet. Pick a longer period above, or import orders
          with <code>shopx import FILE.csv</code>.
        </EmptyState>
      ) : (
        <div className="panels">
          <section className="panel" aria-label="Top products">
            <TopProductsTable rows={topProducts} currency={currency} />
          </section>
          <section className="panel" aria-label="Top sales reps">
            <TopRepsTable rows={topSalesReps} currency={currency} />
          </section>
        </div>
      )}
      <DataAsOf dataAsOf={overview.dataAsOf} generatedAt={generatedAt} timezone={timezone} />
    </>
  );
}

function describeError(error: CombinedError) {
  const code = error.graphQLErrors[0]?.extensions?.code;
  if (code === "UNAUTHENTICATED" || code === "FORBIDDEN") {
    return {
      title: "Not allowed to read the overview",
      detail: error.message,
      advice:
        "This server does not answer anonymous reads. Start it with SHOPX_ANONYMOUS_READS=true " +
        "(as make run does); sign-in comes with a later version of the dashboard.",
    };
  }
  if (error.networkError) {
    return {
      title: "The API did not answer",
      detail: error.message,
      advice: "Check that the server is running (make run), then try again.",
    };
  }
  return {
    title: "The overview could not be loaded",
    detail: error.message,
    advice: "Try again; if it keeps failing, the server log says why.",
  };
}
