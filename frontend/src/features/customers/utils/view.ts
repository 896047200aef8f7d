// The page's own controls, kept in its URL beside the period (?limit=50&months=24).

export const TOP_LIMITS = ["10", "25", "50", "100"] as const;
export type TopLimit = (typeof TOP_LIMITS)[number];
export const DEFAULT_TOP_LIMIT: TopLimit = "25";

export const COHORT_MONTHS = ["6", "12", "24"] as const;
export type CohortMonths = (typeof COHORT_MONTHS)[number];
export const DEFAULT_COHORT_MONTHS: CohortMonths = "12";
