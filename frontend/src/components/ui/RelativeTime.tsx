import { formatDateTime, formatRelative } from "@/lib/format";

/** An instant as "5 minutes ago", the date and time in the business time zone on hover. */
export function RelativeTime({ at, timezone }: { at: string; timezone: string }) {
  const absolute = `${formatDateTime(at, timezone)} (${timezone})`;
  return (
    <time dateTime={at} title={absolute}>
      {formatRelative(at)}
    </time>
  );
}
