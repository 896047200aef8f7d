import type { Granularity } from "@/gql/graphql";

/** The trend's bucket choices; AUTO lets the API choose for the period. */
export const GRANULARITIES = [
  { value: "AUTO", label: "Automatic" },
  { value: "HOUR", label: "Hours" },
  { value: "DAY", label: "Days" },
  { value: "WEEK", label: "Weeks" },
  { value: "MONTH", label: "Months" },
] as const satisfies readonly { value: Granularity | "AUTO"; label: string }[];

export type GranularityChoice = (typeof GRANULARITIES)[number]["value"];

export const GRANULARITY_VALUES = GRANULARITIES.map((choice) => choice.value);

export const granularityVariable = (choice: GranularityChoice): Granularity | null =>
  choice === "AUTO" ? null : choice;
