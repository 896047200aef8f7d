import { useCallback, useState } from "react";
import { CombinedError, useClient, useQuery } from "urql";

import { graphql } from "@/gql";
import type { ReportKind, ReportRowFragment } from "@/gql/graphql";

/** Reports per request. */
export const PAGE_SIZE = 20;

graphql(`
  fragment ReportRow on Report {
    id
    kind
    periodStart
    periodEnd
    createdAt
    sentAt
    revenue
    revenueChangePercentage
    orders
    ordersChangePercentage
    aov
    aovChangePercentage
    htmlUrl
    csvUrl
  }
`);

graphql(`
  fragment ReportsPage on ReportConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...ReportRow
      }
    }
  }
`);

// The page's data in one request: the shop's formatting facts and the latest reports.
const ReportsDocument = graphql(`
  query Reports($kind: ReportKind!, $first: Int!) {
    shopInfo {
      name
      currency
      timezone
    }
    reports(kind: $kind, first: $first) {
      ...ReportsPage
    }
  }
`);

// Older reports, a page at a time, when asked for.
const ReportsNextPageDocument = graphql(`
  query ReportsNextPage($kind: ReportKind!, $first: Int!, $after: String!) {
    reports(kind: $kind, first: $first, after: $after) {
      ...ReportsPage
    }
  }
`);

export type Report = ReportRowFragment;

/** reports answers callers with ANALYTICS_READ (api/graphql/queries/reports.py). */
export const REPORTS_NEED = "ANALYTICS_READ";

interface More {
  rows: Report[];
  endCursor: string | null;
  hasNextPage: boolean | null;
  loading: boolean;
  error: CombinedError | null;
}

const NONE: More = { rows: [], endCursor: null, hasNextPage: null, loading: false, error: null };

/**
 * The reports of ``kind``, latest period first: the first page with the shop, then
 * ``loadMore`` adds the page after the last cursor. The pages loaded per kind are kept while
 * the page is open, so switching tabs back shows what was there.
 */
export function useReports(kind: ReportKind) {
  const client = useClient();
  const [result, reexecute] = useQuery({
    query: ReportsDocument,
    variables: { kind, first: PAGE_SIZE },
  });
  const [pages, setPages] = useState<ReadonlyMap<ReportKind, More>>(new Map());
  const more = pages.get(kind) ?? NONE;
  const first = result.data?.reports;
  const hasMore = more.hasNextPage ?? first?.pageInfo.hasNextPage ?? false;
  const after = more.endCursor ?? first?.pageInfo.endCursor ?? null;

  const update = useCallback(
    (change: (m: More) => More) =>
      setPages((all) => new Map(all).set(kind, change(all.get(kind) ?? NONE))),
    [kind],
  );
  const loadMore = useCallback(async () => {
    if (!hasMore || !after || more.loading) return;
    update((m) => ({ ...m, loading: true, error: null }));
    const page = await client
      .query(ReportsNextPageDocument, { kind, first: PAGE_SIZE, after }, { requestPolicy: "network-only" })
      .toPromise();
    const reports = page.data?.reports;
    update((m) =>
      reports
        ? {
            rows: [...m.rows, ...reports.edges.map((edge) => edge.node)],
            endCursor: reports.pageInfo.endCursor ?? null,
            hasNextPage: reports.pageInfo.hasNextPage,
            loading: false,
            error: null,
          }
        : {
            ...m,
            loading: false,
            error: page.error ?? new CombinedError({ networkError: new Error("no answer") }),
          },
    );
  }, [client, kind, after, hasMore, more.loading, update]);

  const refresh = useCallback(() => {
    update(() => NONE);
    reexecute({ requestPolicy: "network-only" });
  }, [reexecute, update]);

  const rows = first ? [...first.edges.map((edge) => edge.node), ...more.rows] : [];
  return {
    result,
    refresh,
    rows,
    totalCount: first?.totalCount ?? 0,
    hasMore,
    loadingMore: more.loading,
    moreError: more.error,
    loadMore,
  };
}
