import { useCallback } from "react";
import { useQuery } from "urql";

import { graphql } from "@/gql";
import { restJson } from "@/lib/rest";

import { fromGraphQL, fromRest, type ImportRecord, type RestImport } from "../lib/imports";

graphql(`
  fragment ImportRow on Import {
    id
    source
    fileName
    state
    dryRun
    rowsRead
    rowsImported
    rowsSkipped
    rowsFailed
    percent
    createdAt
    finishedAt
    error
    report {
      rowsRead
      imported
      skippedDuplicate
      failed
      ordersCreated
      ordersExtended
      newProducts
      newCategories
      newCustomers
      newReps
      errors {
        line
        column
        value
        reason
      }
    }
  }
`);

// The page's data in one request: the shop's time zone (times are shown in it) and the
// latest imports.
const ImportsDocument = graphql(`
  query Imports($first: Int!) {
    shopInfo {
      name
      timezone
    }
    imports(first: $first) {
      totalCount
      edges {
        node {
          ...ImportRow
        }
      }
    }
  }
`);

/** How many recent imports the page lists. */
export const RECENT = 20;

/** The latest imports, newest first, and the shop's name and time zone. */
export function useRecentImports() {
  const [result, reexecute] = useQuery({ query: ImportsDocument, variables: { first: RECENT } });
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const imports: ImportRecord[] | undefined = result.data?.imports.edges.map((edge) => fromGraphQL(edge.node));
  return { result, refresh, imports, totalCount: result.data?.imports.totalCount ?? 0 };
}

/** One import as it stands (GET /api/v1/imports/{id}: analysts and admins). */
export async function getImport(id: string): Promise<ImportRecord> {
  return fromRest(await restJson<RestImport>(`/api/v1/imports/${encodeURIComponent(id)}`));
}
