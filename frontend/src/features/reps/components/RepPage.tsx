import { useEffect } from "react";
import { Link, useParams } from "react-router-dom";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { EmptyState } from "@/components/ui/EmptyState";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { useSalesRep, type SalesRepDetailData } from "@/features/reps/api/get-rep";
import {
  GRANULARITY_VALUES,
  granularityVariable,
  type GranularityChoice,
} from "@/features/reps/utils/granularity";
import { isRepId } from "@/features/reps/utils/rep-id";
import { UNKNOWN_REGION } from "@/features/reps/utils/regions";
import { usePeriodParams } from "@/hooks/use-period-params";
import { useChoiceParam } from "@/hooks/use-url-param";
import { formatRate } from "@/lib/format";
import { periodPhrase, writePeriod, type PeriodState } from "@/lib/period";
import { errorCode } from "@/lib/api-error";

import { RepFigures } from "./RepFigures";
import { RepsSkeleton } from "./RepsSkeleton";
import { RepTrendPanel } from "./RepTrendPanel";
import "../reps.css";

export function RepPage() {
  const { repId = "" } = useParams();
  const [period, setPeriod] = usePeriodParams();
  const [granularity, setGranularity] = useChoiceParam("granularity", GRANULARITY_VALUES, "AUTO");
  const known = isRepId(repId);
  const [result, reexecute] = useSalesRep(repId, period, granularityVariable(granularity), !known);
  const data = result.data;
  const name = data?.salesRepPerformance.salesRep.name;
  const shopName = data?.shopInfo.name;
  useEffect(() => {
    document.title = [name ?? "Sales rep", shopName].filter(Boolean).join(" · ");
  }, [name, shopName]);
  const back = `/reps?${writePeriod(new URLSearchParams(), period).toString()}`;
  const missing = !known || (result.error && errorCode(result.error) === "NOT_FOUND");

  return (
    <>
      <Link className="rep-back" to={back}>
        ← All sales reps
      </Link>
      <header className="page-header">
        <div>
          <h1>{name ?? "Sales rep"}</h1>
          {data && <RepLine data={data} period={period} />}
        </div>
        {!missing && (
          <PeriodPicker value={period} onChange={setPeriod} timezone={data?.shopInfo.timezone} />
        )}
      </header>
      {missing ? (
        <EmptyState title="No such sales rep">
          There is no sales rep with id {repId}. Pick one from the{" "}
          <Link to={back}>leaderboard</Link>.
        </EmptyState>
      ) : data ? (
        <RepBody
          data={data}
          period={period}
          granularity={granularity}
          onGranularity={setGranularity}
        />
      ) : result.error ? (
        <>
          <ApiErrorState
            error={result.error}
            what="the sales rep"
            onRetry={
              errorCode(result.error) === "BAD_USER_INPUT"
                ? undefined
                : () => reexecute({ requestPolicy: "network-only" })
            }
          />
          {granularity !== "AUTO" && (
            <button type="button" className="button" onClick={() => setGranularity("AUTO")}>
              Use automatic buckets
            </button>
          )}
        </>
      ) : (
        <RepsSkeleton label="Loading the sales rep" />
      )}
    </>
  );
}

function RepLine({ data, period }: { data: SalesRepDetailData; period: PeriodState }) {
  const rep = data.salesRepPerformance.salesRep;
  const parts = [
    rep.email,
    rep.region ?? UNKNOWN_REGION,
    `${formatRate(rep.commissionRate)} commission`,
    rep.isActive ? null : "inactive",
    periodPhrase(period),
  ];
  return <p className="page-header__sub">{parts.filter(Boolean).join(" · ")}</p>;
}

interface RepBodyProps {
  data: SalesRepDetailData;
  period: PeriodState;
  granularity: GranularityChoice;
  onGranularity: (granularity: GranularityChoice) => void;
}

function RepBody({ data, period, granularity, onGranularity }: RepBodyProps) {
  const rep = data.salesRepPerformance;
  const { currency } = data.shopInfo;
  return (
    <div className="reps-stack">
      <RepFigures rep={rep} currency={currency} />
      {rep.totalOrders === 0 ? (
        <EmptyState title={`No sales: ${periodPhrase(period)}`}>
          {rep.salesRep.name} has no recognised order in this period. Pick a longer period above.
        </EmptyState>
      ) : (
        <RepTrendPanel
          trend={rep.trend}
          currency={currency}
          repId={rep.salesRep.id}
          granularity={granularity}
          onGranularityChange={onGranularity}
        />
      )}
    </div>
  );
}
