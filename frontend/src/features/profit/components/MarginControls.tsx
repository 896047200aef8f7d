import { useId } from "react";

import { GROUP_BY_VALUES, GROUPINGS, isGroupBy } from "@/features/profit/lib/groupings";
import { LIMITS, type MarginView } from "@/features/profit/lib/margin-view";

/** The group-by switch, and how many groups to list (calendar buckets list them all). */
export function MarginControls({
  view,
  onChange,
}: {
  view: MarginView;
  onChange: (next: Partial<MarginView>) => void;
}) {
  const id = useId();
  const time = GROUPINGS[view.groupBy].time;
  return (
    <div className="profit-controls">
      <label htmlFor={`${id}-by`}>Group by</label>
      <select
        id={`${id}-by`}
        value={view.groupBy}
        onChange={(event) => {
          const { value } = event.target;
          if (isGroupBy(value)) onChange({ groupBy: value });
        }}
      >
        {GROUP_BY_VALUES.map((groupBy) => (
          <option key={groupBy} value={groupBy}>
            {GROUPINGS[groupBy].label}
          </option>
        ))}
      </select>
      {!time && (
        <>
          <label htmlFor={`${id}-top`}>Show</label>
          <select
            id={`${id}-top`}
            value={view.top}
            onChange={(event) => onChange({ top: Number(event.target.value) })}
          >
            {LIMITS.map((limit) => (
              <option key={limit} value={limit}>
                Top {limit}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}
