import { useEffect } from "react";

import { DataTable } from "@/components/table/DataTable";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { EmptyState } from "@/components/ui/EmptyState";
import { Skeleton } from "@/components/ui/Skeleton";
import { MAX_ALERTS, SHOWN, useAlerts, type Shown } from "@/features/alerts/api/get-alerts";
import { useChoiceParam } from "@/hooks/use-url-param";
import { useSession } from "@/hooks/use-session";
import { formatCount } from "@/lib/format";

import { alertColumns } from "./alert-columns";
import "../alerts.css";

const SLUGS = SHOWN.map((shown) => shown.slug);

const NONE: Record<Shown["slug"], { title: string; text: string }> = {
  open: {
    title: "No open alerts",
    text:
      "Every product is above its reorder level and every job's last run went through. " +
      "The low-stock job checks each hour.",
  },
  closed: {
    title: "No closed alerts",
    text: "An alert closes when a product is restocked or its job runs again without failing.",
  },
  all: {
    title: "No alerts yet",
    text: "Alerts open when a product falls to its reorder level or a background job fails.",
  },
};

/** "12 open alerts, newest first"; "The newest 100 alerts" when the API gave its most. */
function countLine(count: number, shown: Shown): string {
  const which = shown.slug === "all" ? "" : `${shown.slug} `;
  if (count >= MAX_ALERTS) return `The newest ${formatCount(MAX_ALERTS)} ${which}alerts`;
  return `${formatCount(count)} ${which}${count === 1 ? "alert" : "alerts"}, newest first`;
}

export function AlertsPage() {
  const session = useSession();
  const [slug, setSlug] = useChoiceParam("show", SLUGS, "open");
  const shown = SHOWN.find((s) => s.slug === slug) ?? SHOWN[0];
  const [result, reexecute] = useAlerts(shown);
  const refresh = () => reexecute({ requestPolicy: "network-only" });
  const shop = result.data?.shopInfo;
  useEffect(() => {
    document.title = shop ? `Alerts · ${shop.name}` : "Alerts";
  }, [shop]);
  const alerts = result.data?.alerts;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Alerts</h1>
          <p className="page-header__sub">Products running low and background jobs that failed.</p>
        </div>
        <div className="alerts-filter" role="group" aria-label="Show alerts">
          {SHOWN.map((choice) => (
            <button
              key={choice.slug}
              type="button"
              className="period-picker__button"
              aria-pressed={choice.slug === slug}
              onClick={() => setSlug(choice.slug)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </header>
      <section className="panel alerts-panel" aria-label={`${shown.label} alerts`}>
        {alerts && shop ? (
          alerts.length === 0 ? (
            <EmptyState title={NONE[shown.slug].title}>{NONE[shown.slug].text}</EmptyState>
          ) : (
            <>
              <p className="alerts-count">{countLine(alerts.length, shown)}</p>
              <DataTable
                caption={`${shown.label} alerts`}
                columns={alertColumns(shop.timezone, session.isAdmin, shown.open !== true)}
                rows={alerts}
                rowKey={(alert) => alert.id}
                rowHeader="subject"
              />
            </>
          )
        ) : result.error ? (
          <ApiErrorState error={result.error} what="the alerts" onRetry={refresh} />
        ) : (
          <div aria-busy="true" aria-label="Loading the alerts">
            <Skeleton height="10rem" />
          </div>
        )}
      </section>
    </>
  );
}
