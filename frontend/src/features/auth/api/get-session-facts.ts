import { useEffect, useState } from "react";
import { useClient, type OperationResult } from "urql";

import { graphql } from "@/gql";
import type { SessionFactsQuery } from "@/gql/graphql";

// Both fields are open to every caller: the sign-in page needs the shop's name, and whether
// reads need a sign-in at all.
const SessionFactsDocument = graphql(`
  query SessionFacts {
    shopInfo {
      name
      anonymousReads
    }
    me {
      subject
      email
      role
      permissions
    }
  }
`);

export type SessionFactsResult = OperationResult<SessionFactsQuery>;

interface Answer {
  identity: string;
  attempt: number;
  result: SessionFactsResult;
}

/**
 * The shop and the caller as the API sees them, asked again whenever ``identity`` (who is
 * signed in) changes; null until the answer for this identity is in, so a page never acts on
 * the previous user's permissions. Returns the answer and a function to ask again.
 */
export function useSessionFacts(identity: string, ready: boolean): [SessionFactsResult | null, () => void] {
  const client = useClient();
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    if (!ready) return undefined;
    const subscription = client
      .query(SessionFactsDocument, {}, { requestPolicy: "network-only" })
      .subscribe((result) => setAnswer({ identity, attempt, result }));
    return subscription.unsubscribe;
  }, [client, identity, ready, attempt]);
  const current = answer && answer.identity === identity && answer.attempt === attempt ? answer.result : null;
  return [current, () => setAttempt((n) => n + 1)];
}
