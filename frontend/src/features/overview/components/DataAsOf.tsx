import { formatDateTime } from "@/lib/format";

import { LiveValue } from "./LiveValue";

export interface DataAsOfProps {
  /** Commit time of the newest write the numbers reflect; null when the API has none. */
  dataAsOf: string | null | undefined;
  timezone: string;
}

/** How fresh the numbers are, in the business time zone. */
export function DataAsOf({ dataAsOf, timezone }: DataAsOfProps) {
  if (!dataAsOf) return null;
  return (
    <p className="data-as-of">
      Data as of{" "}
      <LiveValue value={dataAsOf}>
        <time dateTime={dataAsOf}>{formatDateTime(dataAsOf, timezone)}</time>
      </LiveValue>{" "}
      ({timezone})
    </p>
  );
}
