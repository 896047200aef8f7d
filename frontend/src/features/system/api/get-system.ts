import { useMutation, useQuery } from "urql";

import { graphql } from "@/gql";
import type { Permission, SystemQuery } from "@/gql/graphql";

// One request: the shop (open to every caller) and, when the caller may read them (the
// session's permissions say so), the cache counters, so a role that may not is never
// refused a field.
const SystemDocument = graphql(`
  query System($readsCache: Boolean!) {
    shopInfo {
      name
      version
      currency
      timezone
      revenueStatuses
      anonymousReads
    }
    cacheInfo @include(if: $readsCache) {
      backend
      perProcess
      tiers {
        name
        backend
        hits
        misses
        hitRate
        entries
        memory
        available
      }
    }
  }
`);

const ClearCacheDocument = graphql(`
  mutation ClearCache($pattern: String!) {
    clearCache(input: { pattern: $pattern }) {
      tags
    }
  }
`);

export type ShopFacts = SystemQuery["shopInfo"];
export type CacheInfo = NonNullable<SystemQuery["cacheInfo"]>;
export type CacheTier = CacheInfo["tiers"][number];

/** cacheInfo answers callers with ANALYTICS_READ (see api/graphql/queries/cache.py). */
export const CACHE_INFO_NEEDS: Permission = "ANALYTICS_READ";

/** clearCache needs WRITE (admins). */
export const CLEAR_CACHE_NEEDS: Permission = "WRITE";

/** ``readsCache``: the caller may read the cache counters (CACHE_INFO_NEEDS). */
export function useSystem(readsCache: boolean) {
  return useQuery({ query: SystemDocument, variables: { readsCache } });
}

export function useClearCache() {
  return useMutation(ClearCacheDocument);
}
