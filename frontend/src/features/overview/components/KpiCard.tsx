import { useId } from "react";

import type { Change } from "@/lib/format";

export interface KpiCardProps {
  label: string;
  value: string;
  change: Change | null;
  /** Said instead of the change when there is none (no comparison base). */
  noChange?: string;
}

const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

export function KpiCard({ label, value, change, noChange = "No comparison" }: KpiCardProps) {
  const id = useId();
  return (
    <article className="kpi" aria-labelledby={id}>
      <h3 id={id} className="kpi__label">
        {label}
      </h3>
      <p className="kpi__value">{value}</p>
      {change ? (
        <p className={`kpi__change kpi__change--${change.direction}`}>
          <span aria-hidden="true">{ARROWS[change.direction]} </span>
          {change.text} <span className="kpi__note">vs previous period</span>
        </p>
      ) : (
        <p className="kpi__change kpi__change--none">{noChange}</p>
      )}
    </article>
  );
}
