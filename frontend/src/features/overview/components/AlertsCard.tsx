import { Link } from "react-router-dom";

import { AlertItem } from "@/components/alerts/AlertItem";
import { ALERTS_NEED, CARD_ALERTS, useOpenAlerts } from "@/features/overview/api/get-open-alerts";
import { useSession } from "@/hooks/use-session";
import { formatCount } from "@/lib/format";

/** The open alerts, small, over the Overview's numbers; nothing at all when none is open or
 * the caller may not read them. */
export function AlertsCard({ timezone }: { timezone: string }) {
  const session = useSession();
  const readable = session.can(ALERTS_NEED);
  const [result, reexecute] = useOpenAlerts(readable);
  if (!readable) return null;
  if (result.error && !result.data) {
    return (
      <section className="panel alerts-card" aria-labelledby="alerts-card-title">
        <h2 id="alerts-card-title" className="alerts-card__title">
          Open alerts
        </h2>
        <p className="alerts-card__error" role="alert">
          The alerts could not be loaded ({result.error.message}).{" "}
          <button
            type="button"
            className="button"
            onClick={() => reexecute({ requestPolicy: "network-only" })}
          >
            Try again
          </button>
        </p>
      </section>
    );
  }
  const alerts = result.data?.alerts ?? [];
  if (alerts.length === 0) return null;
  const shown = alerts.slice(0, CARD_ALERTS);
  return (
    <section className="panel alerts-card" aria-labelledby="alerts-card-title">
      <div className="alerts-card__bar">
        <h2 id="alerts-card-title" className="alerts-card__title">
          Open alerts
        </h2>
        <Link to="/alerts" className="alerts-card__all">
          {alerts.length > CARD_ALERTS
            ? `See all alerts (more than ${formatCount(CARD_ALERTS)} open)`
            : "See all alerts"}
        </Link>
      </div>
      <ul className="alert-list">
        {shown.map((alert) => (
          <AlertItem key={alert.id} alert={alert} timezone={timezone} linkJobs={session.isAdmin} compact />
        ))}
      </ul>
    </section>
  );
}
