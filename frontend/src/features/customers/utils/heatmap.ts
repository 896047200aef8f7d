// The cohort heatmap's colour scale: retention (a plain ratio) falls into one of six
// buckets, each a CSS class whose text colour keeps AA contrast on its background.

export interface HeatBucket {
  /** The CSS modifier: heat--0 (lightest) to heat--5 (darkest). */
  level: number;
  /** The bucket's lower bound, as a plain ratio (inclusive). */
  from: number;
  label: string;
}

export const HEAT_BUCKETS: readonly HeatBucket[] = [
  { level: 0, from: 0, label: "under 10%" },
  { level: 1, from: 0.1, label: "10–20%" },
  { level: 2, from: 0.2, label: "20–30%" },
  { level: 3, from: 0.3, label: "30–40%" },
  { level: 4, from: 0.4, label: "40–60%" },
  { level: 5, from: 0.6, label: "60% and more" },
];

/** The bucket of a retention ratio (the last bucket whose lower bound it reaches). */
export function heatBucket(ratio: number): HeatBucket {
  let found = HEAT_BUCKETS[0]!;
  for (const bucket of HEAT_BUCKETS) if (ratio >= bucket.from) found = bucket;
  return found;
}

/** The heatmap's columns: months since acquisition, 0 to the longest cohort's last. */
export function monthColumns(cohorts: readonly { retention: readonly unknown[] }[]): number[] {
  const width = Math.max(0, ...cohorts.map((cohort) => cohort.retention.length));
  return Array.from({ length: width }, (_, month) => month);
}
