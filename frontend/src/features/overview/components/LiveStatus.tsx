import type { LiveStatus as Status } from "@/features/overview/api/live-updates";

const TEXT = {
  connecting: "Connecting to live updates…",
  live: "Live",
  reconnecting: "Reconnecting…",
  off: "Live updates off",
} as const;

/** Whether the numbers follow the orders as they change. */
export function LiveStatus({ status }: { status: Status }) {
  return (
    <p className={`live-status live-status--${status.state}`} role="status">
      <span className="live-status__dot" aria-hidden="true" />
      {TEXT[status.state]}
      {status.state === "off" && status.detail && (
        <span className="live-status__detail"> ({status.detail})</span>
      )}
    </p>
  );
}
