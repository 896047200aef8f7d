import { useEffect } from "react";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { useSalesReps, type SalesRepsData } from "@/features/reps/api/get-reps";
import { regionOptions } from "@/features/reps/utils/regions";
import { usePeriodParams } from "@/hooks/use-period-params";
import { useUrlParam } from "@/hooks/use-url-param";
import { periodLabel, periodPhrase, writePeriod, type PeriodState } from "@/lib/period";

import { LeaderboardPanel } from "./LeaderboardPanel";
import { RegionsPanel } from "./RegionsPanel";
import { RepsSkeleton } from "./RepsSkeleton";
import "../reps.css";

export function RepsPage() {
  const [period, setPeriod] = usePeriodParams();
  const [region, setRegion] = useUrlParam("region");
  const [result, reexecute] = useSalesReps(period, region || null);
  const data = result.data;
  const shopName = data?.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `Sales reps · ${shopName}` : "Sales reps";
  }, [shopName]);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Sales reps</h1>
          {shopName && (
            <p className="page-header__sub">
              {shopName} · {periodLabel(period)}
            </p>
          )}
        </div>
        <PeriodPicker value={period} onChange={setPeriod} timezone={data?.shopInfo.timezone} />
      </header>
      {data ? (
        <RepsBody data={data} period={period} region={region || null} onRegionChange={setRegion} />
      ) : result.error ? (
        <ApiErrorState
          error={result.error}
          what="the sales reps"
          onRetry={() => reexecute({ requestPolicy: "network-only" })}
        />
      ) : (
        <RepsSkeleton label="Loading the sales reps" />
      )}
    </>
  );
}

interface RepsBodyProps {
  data: SalesRepsData;
  period: PeriodState;
  region: string | null;
  onRegionChange: (region: string | null) => void;
}

function RepsBody({ data, period, region, onRegionChange }: RepsBodyProps) {
  const { currency } = data.shopInfo;
  const regions = regionOptions(
    data.salesReps.edges.map((edge) => edge.node.region),
    region,
  );
  return (
    <div className="reps-stack">
      <LeaderboardPanel
        rows={data.topSalesReps}
        currency={currency}
        periodName={periodPhrase(period)}
        region={region}
        regions={regions}
        onRegionChange={onRegionChange}
        repSearch={`?${writePeriod(new URLSearchParams(), period).toString()}`}
      />
      <RegionsPanel rows={data.regionalPerformance} currency={currency} />
    </div>
  );
}
