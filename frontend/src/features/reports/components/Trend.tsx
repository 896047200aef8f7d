import { formatChange } from "@/lib/format";

const ARROWS = { up: "▲", down: "▼", flat: "■" } as const;

/** A change against the previous period: an arrow, the signed percentage and a color (the
 * sign says it without the color); "—" when the previous period had nothing to compare. */
export function Trend({ percent }: { percent: number | null | undefined }) {
  const change = formatChange(percent);
  if (!change) {
    return (
      <span className="change change--none" title="Nothing in the previous period to compare with">
        —
      </span>
    );
  }
  return (
    <span className={`change change--${change.direction}`}>
      <span aria-hidden="true">{ARROWS[change.direction]} </span>
      {change.text}
    </span>
  );
}
