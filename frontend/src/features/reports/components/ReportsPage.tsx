import { useEffect, useId, useMemo } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { EmptyState } from "@/components/ui/EmptyState";
import { Skeleton } from "@/components/ui/Skeleton";
import { useReports, type Report } from "@/features/reports/api/get-reports";
import { useReportDownloads } from "@/features/reports/hooks/use-report-downloads";
import { KINDS, KIND_SLUGS } from "@/features/reports/lib/period";
import { useChoiceParam } from "@/hooks/use-url-param";
import { formatCount } from "@/lib/format";

import { KindTabs } from "./KindTabs";
import { reportColumns } from "./report-columns";
import "../reports.css";

export function ReportsPage() {
  const [slug, setSlug] = useChoiceParam("kind", KIND_SLUGS, "daily");
  const kind = KINDS.find((k) => k.slug === slug) ?? KINDS[0];
  const reports = useReports(kind.kind);
  const { result } = reports;
  const downloads = useReportDownloads();
  const id = useId();
  const shop = result.data?.shopInfo;
  useEffect(() => {
    document.title = shop ? `Reports · ${shop.name}` : "Reports";
  }, [shop]);
  const columns = useMemo(
    () => (shop ? reportColumns(shop.currency, shop.timezone, downloads) : []),
    [shop, downloads],
  );
  const panelId = `${id}-panel`;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Reports</h1>
          <p className="page-header__sub">
            Each closed day, week and month against the one before it
            {shop && <>, cut in the shop&apos;s time zone ({shop.timezone})</>}.
          </p>
        </div>
      </header>
      <KindTabs value={slug} onChange={setSlug} panelId={panelId} idPrefix={id} />
      <section
        id={panelId}
        role="tabpanel"
        aria-labelledby={`${id}-${slug}`}
        className="panel reports-panel"
      >
        {downloads.error && (
          <div className="notice notice--error reports-download-error" role="alert">
            <p>{downloads.error}</p>
            <button type="button" className="button" onClick={downloads.dismiss}>
              Dismiss
            </button>
          </div>
        )}
        {result.data && shop ? (
          reports.rows.length === 0 ? (
            <EmptyState title={`No ${kind.label.toLowerCase()} reports yet`}>
              A report appears once its {kind.period} has closed: the reports job writes them
              each morning (daily at 06:00 in the shop&apos;s time zone unless the schedule
              was changed), so the first daily report comes the morning after the first
              closed day.
            </EmptyState>
          ) : (
            <DataTable<Report>
              caption={`${kind.label} reports`}
              columns={columns}
              rows={reports.rows}
              rowKey={(report) => report.id}
              rowHeader="period"
              footer={
                <div className="reports-more">
                  <span className="reports-more__count">
                    {formatCount(reports.rows.length)} of {formatCount(reports.totalCount)}{" "}
                    {kind.label.toLowerCase()} reports
                  </span>
                  {reports.hasMore && (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void reports.loadMore()}
                      disabled={reports.loadingMore}
                    >
                      {reports.loadingMore ? "Loading…" : "Load more"}
                    </button>
                  )}
                  {reports.moreError && (
                    <span className="reports-more__error" role="alert">
                      More reports could not be loaded: {reports.moreError.message}
                    </span>
                  )}
                </div>
              }
            />
          )
        ) : result.error ? (
          <ApiErrorState error={result.error} what="the reports" onRetry={reports.refresh} />
        ) : (
          <div aria-busy="true" aria-label="Loading the reports">
            <Skeleton height="14rem" />
          </div>
        )}
      </section>
    </>
  );
}
