import { formatDateTime } from "@/lib/format";

import type { Highlight } from "./FigureCard";

export interface DataAsOfProps {
  /** Commit time of the newest write the numbers reflect (the response's dataAsOf); nothing
   * is shown without it. */
  dataAsOf: unknown;
  timezone: string;
  /** Wraps the time, which may change in place (the Overview highlights live updates). */
  highlight?: Highlight;
}

/** How fresh the numbers are, in the business time zone. */
export function DataAsOf({ dataAsOf, timezone, highlight: Highlighted }: DataAsOfProps) {
  if (typeof dataAsOf !== "string" || !dataAsOf) return null;
  const time = <time dateTime={dataAsOf}>{formatDateTime(dataAsOf, timezone)}</time>;
  return (
    <p className="data-as-of">
      Data as of {Highlighted ? <Highlighted value={dataAsOf}>{time}</Highlighted> : time} (
      {timezone})
    </p>
  );
}
