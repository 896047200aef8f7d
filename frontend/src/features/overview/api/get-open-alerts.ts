import { useQuery } from "urql";

import { graphql } from "@/gql";
import type { Permission } from "@/gql/graphql";

/** alerts answers callers with ANALYTICS_READ (api/graphql/queries/alerts.py). */
export const ALERTS_NEED: Permission = "ANALYTICS_READ";

/** Alerts the card lists; it asks for one more to know whether there are others. */
export const CARD_ALERTS = 5;

// Not a field of the Overview's query: `alerts` is never cached (a job opens and closes
// them without telling the cache), and a document asking for it would make the whole
// Overview miss the API's response cache. So the card asks on its own, once the Overview
// has its numbers.
const OpenAlertsDocument = graphql(`
  query OpenAlerts($first: Int!) {
    alerts(open: true, first: $first) {
      ...AlertFields
    }
  }
`);

/** The open alerts, newest first, for a caller who may read them (else nothing is asked). */
export function useOpenAlerts(readable: boolean) {
  return useQuery({
    query: OpenAlertsDocument,
    variables: { first: CARD_ALERTS + 1 },
    pause: !readable,
  });
}
