export interface Bar {
  key: string;
  label: string;
  /** The bar's length relative to the others (any unit, e.g. cents or a count). */
  weight: number;
  /** What the bar reads as: "$12,345.67 · 23.4%". */
  display: string;
}

/** Shares as horizontal bars: a list that reads well without the picture. */
export function BarList({ title, bars }: { title: string; bars: readonly Bar[] }) {
  const largest = Math.max(0, ...bars.map((bar) => bar.weight));
  return (
    <figure className="bar-list">
      <figcaption className="chart__title">{title}</figcaption>
      <ul>
        {bars.map((bar) => (
          <li key={bar.key} className="bar-list__item">
            <span className="bar-list__label">{bar.label}</span>
            <span className="bar-list__value">{bar.display}</span>
            <span className="bar-list__track" aria-hidden="true">
              <span
                className="bar-list__bar"
                style={{ width: `${largest > 0 ? Math.max(0, (bar.weight / largest) * 100) : 0}%` }}
              />
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
