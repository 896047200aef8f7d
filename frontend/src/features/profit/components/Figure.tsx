import { useId } from "react";

/** One headline number: what it is, its value, and what it counts. */
export function Figure({ label, value, note }: { label: string; value: string; note: string }) {
  const id = useId();
  return (
    <article className="kpi" aria-labelledby={id}>
      <h3 id={id} className="kpi__label">
        {label}
      </h3>
      <p className="kpi__value">{value}</p>
      <p className="kpi__note profit-figure__note">{note}</p>
    </article>
  );
}
