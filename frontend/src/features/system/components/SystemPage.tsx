import { useCallback, useEffect } from "react";

import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { Skeleton } from "@/components/ui/Skeleton";
import {
  CACHE_INFO_NEEDS,
  CLEAR_CACHE_NEEDS,
  JOBS_NEEDS,
  useSystem,
} from "@/features/system/api/get-system";
import { useJobRuns } from "@/features/system/hooks/use-job-runs";
import { useSession } from "@/hooks/use-session";

import { CachePanel } from "./CachePanel";
import { CallerPanel } from "./CallerPanel";
import { ClearCachePanel } from "./ClearCachePanel";
import { JobsPanel } from "./JobsPanel";
import { ShopPanel } from "./ShopPanel";
import "../system.css";

export function SystemPage() {
  // Who the caller is and what they may do is the session's (the API's `me`, asked once per
  // sign-in): the page asks only for what that allows.
  const session = useSession();
  const readsCache = session.can(CACHE_INFO_NEEDS);
  // Clearing the cache is an admin's action: the role and the permission must both say so.
  const mayClear = session.isAdmin && session.can(CLEAR_CACHE_NEEDS);
  // So are the background jobs: listing them and running one.
  const readsJobs = session.isAdmin && session.can(JOBS_NEEDS);
  const [system, reexecute] = useSystem({ readsCache, readsJobs });
  const refresh = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const jobRuns = useJobRuns(system.data?.jobs ?? undefined, refresh);
  const shopName = system.data?.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `System · ${shopName}` : "System";
  }, [shopName]);
  const dataAsOf: unknown = system.extensions?.dataAsOf;

  return (
    <>
      <header className="page-header">
        <div>
          <h1>System</h1>
          {system.data && (
            <p className="page-header__sub">
              {system.data.shopInfo.name} · ShopX {system.data.shopInfo.version}
            </p>
          )}
        </div>
      </header>
      {system.data ? (
        <div className="system-grid">
          <ShopPanel
            shop={system.data.shopInfo}
            dataAsOf={typeof dataAsOf === "string" ? dataAsOf : null}
          />
          <CallerPanel session={session} />
          <CachePanel
            readable={readsCache}
            info={system.data.cacheInfo}
            refreshing={system.fetching}
            onRefresh={refresh}
          />
          {system.data.jobs && (
            <JobsPanel jobs={system.data.jobs} timezone={system.data.shopInfo.timezone} runs={jobRuns} />
          )}
          {mayClear && <ClearCachePanel onCleared={refresh} />}
        </div>
      ) : system.error ? (
        <ApiErrorState error={system.error} what="the system facts" onRetry={refresh} />
      ) : (
        <div className="system-grid" aria-busy="true" aria-label="Loading the system facts">
          <div className="panel"><Skeleton height="12rem" /></div>
          <div className="panel"><Skeleton height="12rem" /></div>
        </div>
      )}
    </>
  );
}
