import { useEffect } from "react";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { repRegions, useSalesReps, type SalesRepsData } from "@/features/reps/api/get-reps";
import { regionOptions } from "@/features/reps/utils/regions";
import { usePeriodParams } from "@/hooks/use-period-params";
import { useSession } from "@/hooks/use-session";
import { useUrlParam } from "@/hooks/use-url-param";
import { periodLabel, periodPhrase, writePeriod, type PeriodState } from "@/lib/period";

import { LeaderboardPanel } from "./LeaderboardPanel";
import { RegionsPanel } from "./RegionsPanel";
import { RepsSkeleton } from "./RepsSkeleton";
import "../reps.css";

export function RepsPage() {
  const [period, setPeriod] = usePeriodParams();
  const [region, setRegion] = useUrlParam("region");
  // Listing the reps and a rep's own page are analytics reads: a viewer gets neither.
  const analytics = useSession().can("ANALYTICS_READ");
  const [result, reexecute] = useSalesReps(period, region || null, analytics);
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
        <RepsBody
          data={data}
          period={period}
          region={region || null}
          onRegionChange={setRegion}
          linkReps={analytics}
        />
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
  /** Link each rep to their page (the caller may read it). */
  linkReps: boolean;
}

function RepsBody({ data, period, region, onRegionChange, linkReps }: RepsBodyProps) {
  const { currency } = data.shopInfo;
  const regions = regionOptions(repRegions(data), region);
  return (
    <div className="reps-stack">
      <LeaderboardPanel
        rows={data.topSalesReps}
        currency={currency}
        periodName={periodPhrase(period)}
        region={region}
        regions={regions}
        onRegionChange={onRegionChange}
        repSearch={linkReps ? `?${writePeriod(new URLSearchParams(), period).toString()}` : null}
      />
      <RegionsPanel rows={data.regionalPerformance} currency={currency} />
    </div>
  );
}
