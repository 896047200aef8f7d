import { formatDateTime } from "@/lib/format";

export interface DataAsOfProps {
  dataAsOf: string | null | undefined;
  generatedAt: string;
  timezone: string;
}

/** How fresh the numbers are, in the business time zone. */
export function DataAsOf({ dataAsOf, generatedAt, timezone }: DataAsOfProps) {
  const instant = dataAsOf ?? generatedAt;
  return (
    <p className="data-as-of">
      Data as of <time dateTime={instant}>{formatDateTime(instant, timezone)}</time> ({timezone})
    </p>
  );
}
