import { useEffect } from "react";

import { PeriodPicker } from "@/components/period/PeriodPicker";
import { PeriodSpan } from "@/components/period/PeriodSpan";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import { useCustomers, type CustomersData } from "@/features/customers/api/get-customers";
import {
  COHORT_MONTHS,
  DEFAULT_COHORT_MONTHS,
  DEFAULT_TOP_LIMIT,
  TOP_LIMITS,
} from "@/features/customers/utils/view";
import { usePeriodParams } from "@/hooks/use-period-params";
import { useChoiceParam } from "@/hooks/use-url-param";
import { periodPhrase, type PeriodState } from "@/lib/period";

import { CohortHeatmap } from "./CohortHeatmap";
import { CustomersSkeleton } from "./CustomersSkeleton";
import { RetentionFigures } from "./RetentionFigures";
import { SegmentsPanel } from "./SegmentsPanel";
import { TopCustomersPanel } from "./TopCustomersPanel";
import "../customers.css";

export function CustomersPage() {
  const [period, setPeriod] = usePeriodParams();
  const [limit, setLimit] = useChoiceParam("limit", TOP_LIMITS, DEFAULT_TOP_LIMIT);
  const [months, setMonths] = useChoiceParam("months", COHORT_MONTHS, DEFAULT_COHORT_MONTHS);
  const view = { limit: Number(limit), months: Number(months) };
  const [result, reexecute] = useCustomers(period, view);
  const data = result.data;
  const shopName = data?.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `Customers · ${shopName}` : "Customers";
  }, [shopName]);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Customers</h1>
          {data && <PeriodSpan shop={data.shopInfo} span={data.customerRetention} />}
        </div>
        <PeriodPicker value={period} onChange={setPeriod} timezone={data?.shopInfo.timezone} />
      </header>
      {data ? (
        <div className="customers-stack">
          <RetentionSection data={data} period={period} />
          <SegmentsPanel rows={data.customerSegments} currency={data.shopInfo.currency} />
          <TopCustomersPanel
            rows={data.topCustomers}
            currency={data.shopInfo.currency}
            timezone={data.shopInfo.timezone}
            periodName={periodPhrase(period)}
            limit={limit}
            onLimitChange={setLimit}
          />
          <CohortHeatmap
            cohorts={data.cohortRetention}
            months={months}
            onMonthsChange={setMonths}
          />
        </div>
      ) : result.error ? (
        <ApiErrorState
          error={result.error}
          what="the customers"
          onRetry={() => reexecute({ requestPolicy: "network-only" })}
        />
      ) : (
        <CustomersSkeleton />
      )}
    </>
  );
}

function RetentionSection({ data, period }: { data: CustomersData; period: PeriodState }) {
  return (
    <section aria-labelledby="retention-title">
      <PanelHeader
        id="retention-title"
        title={`Retention: ${periodPhrase(period)}`}
        note="Against the previous period of the same length, ending where this one starts."
      />
      <RetentionFigures retention={data.customerRetention} />
    </section>
  );
}
