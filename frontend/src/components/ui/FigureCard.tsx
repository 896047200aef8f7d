import { useId, type ReactNode } from "react";

export interface FigureCardProps {
  label: string;
  /** The figure, formatted. */
  value: string;
  /** What the figure means or compares with, under it. */
  note?: ReactNode;
}

/** One headline figure with its label (a card in a .kpi-grid). */
export function FigureCard({ label, value, note }: FigureCardProps) {
  const id = useId();
  return (
    <article className="kpi" aria-labelledby={id}>
      <h3 id={id} className="kpi__label">
        {label}
      </h3>
      <p className="kpi__value">{value}</p>
      {note && <p className="kpi__change kpi__note">{note}</p>}
    </article>
  );
}
