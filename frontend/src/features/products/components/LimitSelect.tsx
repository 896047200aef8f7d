import { useId } from "react";

import { LIMITS } from "@/features/products/lib/view-params";

/** How many rows a ranked list holds. */
export function LimitSelect({ value, onChange }: { value: number; onChange: (limit: number) => void }) {
  const id = useId();
  return (
    <div className="view-control">
      <label htmlFor={id}>Rows</label>
      <select id={id} value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {LIMITS.map((limit) => (
          <option key={limit} value={limit}>
            {limit}
          </option>
        ))}
      </select>
    </div>
  );
}
