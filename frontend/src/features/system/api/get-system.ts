import { useMutation, useQuery } from "urql";

import { graphql } from "@/gql";
import type { JobRunFieldsFragment, Permission, SystemQuery } from "@/gql/graphql";

graphql(`
  fragment JobRunFields on JobRun {
    id
    trigger
    outcome
    rows
    detail
    error
    startedAt
    finishedAt
    durationMs
  }
`);

// One request: the shop (open to every caller) and, when the caller may read them (the
// session's permissions say so), the cache counters and the background jobs, so a role that
// may not is never refused a field. Polling a job's run asks for this again (the jobs are
// most of it, and shopInfo is answered from the cache).
const SystemDocument = graphql(`
  query System($readsCache: Boolean!, $readsJobs: Boolean!, $recentRuns: Int!) {
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
    jobs @include(if: $readsJobs) {
      name
      description
      schedule
      scheduleDescription
      nextRun
      queue
      lastRun {
        ...JobRunFields
      }
      recentRuns(limit: $recentRuns) {
        ...JobRunFields
      }
    }
  }
`);

const RunJobDocument = graphql(`
  mutation RunJob($name: String!) {
    runJob(input: { name: $name }) {
      ...JobRunFields
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
export type Job = NonNullable<SystemQuery["jobs"]>[number];
export type JobRun = JobRunFieldsFragment;

/** cacheInfo answers callers with ANALYTICS_READ (see api/graphql/queries/cache.py). */
export const CACHE_INFO_NEEDS: Permission = "ANALYTICS_READ";

/** clearCache needs WRITE (admins). */
export const CLEAR_CACHE_NEEDS: Permission = "WRITE";

/** jobs and runJob need WRITE (admins). */
export const JOBS_NEEDS: Permission = "WRITE";

/** Runs listed under each job when it is expanded. */
export const RECENT_RUNS = 10;

/** What the caller may read of the page: the cache counters (CACHE_INFO_NEEDS), the jobs
 * (JOBS_NEEDS). */
export interface SystemReads {
  readsCache: boolean;
  readsJobs: boolean;
}

export function useSystem({ readsCache, readsJobs }: SystemReads) {
  return useQuery({
    query: SystemDocument,
    variables: { readsCache, readsJobs, recentRuns: RECENT_RUNS },
  });
}

export function useRunJob() {
  return useMutation(RunJobDocument);
}

export function useClearCache() {
  return useMutation(ClearCacheDocument);
}
