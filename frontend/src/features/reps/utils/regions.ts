/** What the API calls the region of a rep without one (the region filter takes it too). */
export const UNKNOWN_REGION = "Unknown";

/**
 * The region filter's options: every rep's region once, by name, "Unknown" last when a rep
 * has none; the chosen one stays an option even when no rep has it (a stale link).
 */
export function regionOptions(
  regions: readonly (string | null | undefined)[],
  chosen: string | null,
): string[] {
  const named = new Set<string>();
  let unknown = false;
  for (const region of regions) {
    if (region) named.add(region);
    else unknown = true;
  }
  if (chosen && chosen !== UNKNOWN_REGION) named.add(chosen);
  const sorted = [...named].sort((a, b) => a.localeCompare(b));
  return unknown || chosen === UNKNOWN_REGION ? [...sorted, UNKNOWN_REGION] : sorted;
}
