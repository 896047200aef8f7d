import { useId, type ComponentType, type ReactNode } from "react";

import type { Change } from "@/lib/format";

import { Skeleton } from "./Skeleton";

/** Wraps a part of a card that may change in place, keyed by its text (the Overview's
 * LiveValue highlights it on a live update). */
export type Highlight = ComponentType<{ value: string; block?: boolean; children: ReactNode }>;

export interface FigureCardProps {
  label: string;
  /** The figure, formatted (money to the cent). */
  value: string;
  /** What the figure means or counts, under it. */
  note?: ReactNode;
  /** The change against a comparison (percent, or points for a margin); null when there is
   * nothing to compare with (``noChange`` is said); left out for a figure without one. */
  change?: Change | null;
  /** The change as an amount or count ("+$1,234.50"), beside the percentage. */
  difference?: string;
  /** What the change compares with: "previous period", "previous year". */
  comparison?: string;
  /** Said instead of the change when there is none. */
  noChange?: string;
  highlight?: Highlight;
}

const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

const Unhighlighted: Highlight = ({ children }) => children;

/** One headline figure under its label (a card in a .kpi-grid), with its change if any. */
export function FigureCard({
  label,
  value,
  note,
  change,
  difference,
  comparison = "previous period",
  noChange = "No comparison",
  highlight: Highlighted = Unhighlighted,
}: FigureCardProps) {
  const id = useId();
  return (
    <article className="kpi" aria-labelledby={id}>
      <h3 id={id} className="kpi__label">
        {label}
      </h3>
      <p className="kpi__value">
        <Highlighted value={value}>{value}</Highlighted>
      </p>
      {change !== undefined && (
        <Highlighted value={change ? `${change.text} ${difference ?? ""}` : noChange} block>
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
        </Highlighted>
      )}
      {note && <p className="kpi__change kpi__note">{note}</p>}
    </article>
  );
}

/** ``count`` cards' placeholders while their figures load. */
export function FigureCardsSkeleton({ count }: { count: number }) {
  return (
    <div className="kpi-grid">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="kpi">
          <Skeleton width="40%" />
          <Skeleton width="70%" height="1.8rem" />
          <Skeleton width="50%" />
        </div>
      ))}
    </div>
  );
}
