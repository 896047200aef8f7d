import { COMPARISONS } from "@/lib/period";
import type { Comparison } from "@/gql/graphql";

/** What the changes compare with: the period before, or the same span a year earlier. */
export function ComparisonToggle({
  value,
  onChange,
}: {
  value: Comparison;
  onChange: (compareTo: Comparison) => void;
}) {
  return (
    <div className="period-picker" role="group" aria-label="Compare with">
      {COMPARISONS.map(({ compareTo, label }) => (
        <button
          key={compareTo}
          type="button"
          className="period-picker__button"
          aria-pressed={compareTo === value}
          onClick={() => onChange(compareTo)}
        >
          vs {label.toLowerCase()}
        </button>
      ))}
    </div>
  );
}
