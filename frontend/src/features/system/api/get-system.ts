import { useMutation, useQuery } from "urql";

import { graphql } from "@/gql";
import type { CacheInfoQuery, Permission, SystemQuery } from "@/gql/graphql";

// Two steps: the shop and the caller first (open to every caller), then the cache counters
// only when the caller may read them, so a role that may not is never refused a field.
const SystemDocument = graphql(`
  query System {
    shopInfo {
      name
      version
      currency
      timezone
      revenueStatuses
      anonymousReads
    }
    me {
      subject
      role
      permissions
    }
  }
`);

const CacheInfoDocument = graphql(`
  query CacheInfo {
    cacheInfo {
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
export type Caller = SystemQuery["me"];
export type CacheInfo = CacheInfoQuery["cacheInfo"];
export type CacheTier = CacheInfo["tiers"][number];

/** cacheInfo answers callers with ANALYTICS_READ (see api/graphql/queries/cache.py). */
export const CACHE_INFO_NEEDS: Permission = "ANALYTICS_READ";
/** clearCache needs WRITE (admins). */
export const CLEAR_CACHE_NEEDS: Permission = "WRITE";

export function useSystem() {
  return useQuery({ query: SystemDocument });
}

export function useCacheInfo({ pause }: { pause: boolean }) {
  return useQuery({ query: CacheInfoDocument, pause });
}

export function useClearCache() {
  return useMutation(ClearCacheDocument);
}
