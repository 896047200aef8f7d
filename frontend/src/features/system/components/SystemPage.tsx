import { useEffect } from "react";

import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { Skeleton } from "@/components/ui/Skeleton";
import {
  CACHE_INFO_NEEDS,
  CLEAR_CACHE_NEEDS,
  useCacheInfo,
  useSystem,
  type Caller,
} from "@/features/system/api/get-system";

import { CachePanel } from "./CachePanel";
import { CallerPanel } from "./CallerPanel";
import { ClearCachePanel } from "./ClearCachePanel";
import { ShopPanel } from "./ShopPanel";
import "../system.css";

/** Clearing the cache is an admin's action: the role and the permission must both say so. */
function mayClear(caller: Caller): boolean {
  return caller.role === "ADMIN" && caller.permissions.includes(CLEAR_CACHE_NEEDS);
}

export function SystemPage() {
  const [system, reexecuteSystem] = useSystem();
  const caller = system.data?.me;
  const readsCache = caller?.permissions.includes(CACHE_INFO_NEEDS) ?? false;
  const [cache, reexecuteCache] = useCacheInfo({ pause: !readsCache });
  const shopName = system.data?.shopInfo.name;
  useEffect(() => {
    document.title = shopName ? `System · ${shopName}` : "System";
  }, [shopName]);
  const dataAsOf: unknown = system.extensions?.dataAsOf;
  const refresh = () => {
    reexecuteSystem({ requestPolicy: "network-only" });
    if (readsCache) reexecuteCache({ requestPolicy: "network-only" });
  };

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
      {system.data && caller ? (
        <div className="system-grid">
          <ShopPanel
            shop={system.data.shopInfo}
            dataAsOf={typeof dataAsOf === "string" ? dataAsOf : null}
          />
          <CallerPanel caller={caller} />
          <CachePanel
            readable={readsCache}
            result={cache}
            onRefresh={() => reexecuteCache({ requestPolicy: "network-only" })}
          />
          {mayClear(caller) && <ClearCachePanel onCleared={refresh} />}
        </div>
      ) : system.error ? (
        <ApiErrorState
          error={system.error}
          what="the system facts"
          onRetry={() => reexecuteSystem({ requestPolicy: "network-only" })}
        />
      ) : (
        <div className="system-grid" aria-busy="true" aria-label="Loading the system facts">
          <div className="panel"><Skeleton height="12rem" /></div>
          <div className="panel"><Skeleton height="12rem" /></div>
        </div>
      )}
    </>
  );
}
