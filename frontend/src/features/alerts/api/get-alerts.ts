import { useQuery } from "urql";

import { graphql } from "@/gql";

/** The most alerts the API gives in one answer. */
export const MAX_ALERTS = 100;

// The page in one request: the shop's time zone and the alerts of the chosen state.
const AlertsDocument = graphql(`
  query Alerts($open: Boolean, $first: Int!) {
    shopInfo {
      name
      timezone
    }
    alerts(open: $open, first: $first) {
      ...AlertFields
    }
  }
`);

/** Which alerts the page lists (?show=closed), and what the API's ``open`` is for each. */
export const SHOWN = [
  { slug: "open", label: "Open", open: true },
  { slug: "closed", label: "Closed", open: false },
  { slug: "all", label: "All", open: null },
] as const;

export type Shown = (typeof SHOWN)[number];

export function useAlerts(shown: Shown) {
  return useQuery({ query: AlertsDocument, variables: { open: shown.open, first: MAX_ALERTS } });
}
