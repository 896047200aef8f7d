import { useId } from "react";

import type { Change } from "@/lib/format";

import { LiveValue } from "./LiveValue";

export interface KpiCardProps {
  label: string;
  /** The figure, exact (money to the cent). */
  value: string;
  /** The change in percent (or in points for a margin). */
  change: Change | null;
  /** The change as an amount or count ("+$1,234.50"), beside the percentage. */
  difference?: string;
  /** What the change compares with: "previous period", "previous year". */
  comparison?: string;
  /** Said instead of the change when there is none (no comparison base). */
  noChange?: string;
}

const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

export function KpiCard({
  label,
  value,
  change,
  difference,
  comparison = "previous period",
  noChange = "No comparison",
}: KpiCardProps) {
  const id = useId();
  const summary = change ? `${change.text} ${difference ?? ""}` : noChange;
  return (
    <article className="kpi" aria-labelledby={id}>
      <h3 id={id} className="kpi__label">
        {label}
      </h3>
      <p className="kpi__value">
        <LiveValue value={value}>{value}</LiveValue>
      </p>
      <LiveValue value={summary} block>
        {change ? (
          <p className={`kpi__change kpi__change--${change.direction}`}>
            <span aria-hidden="true">{ARROWS[change.direction]} </span>
            {change.text}
            {difference && <span className="kpi__difference"> ({difference})</span>}{" "}
            <span className="kpi__note">vs {comparison}</span>
          </p>
        ) : (
          <p className="kpi__change kpi__change--none">{noChange}</p>
        )}
      </LiveValue>
    </article>
  );
}
