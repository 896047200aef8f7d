import type { UseQueryState } from "urql";

import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv } from "@/components/table/columns";
import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { Skeleton } from "@/components/ui/Skeleton";
import type { CacheInfoQuery } from "@/gql/graphql";

import { CACHE_COLUMNS } from "./cache-columns";

export interface CachePanelProps {
  /** The caller may read the counters (else they are not asked for). */
  readable: boolean;
  result: UseQueryState<CacheInfoQuery>;
  onRefresh: () => void;
}

/** The response cache's tiers: hits, misses, hit rate and size, of the process that answered. */
export function CachePanel({ readable, result, onRefresh }: CachePanelProps) {
  const info = result.data?.cacheInfo;
  return (
    <section className="panel system-panel system-cache" aria-labelledby="system-cache">
      <div className="system-panel__bar">
        <h2 id="system-cache">Cache</h2>
        {info && (
          <>
            <button type="button" className="button" onClick={onRefresh} disabled={result.fetching}>
              Refresh counters
            </button>
            <ExportCsvButton
              filename="cache-tiers"
              build={async () => columnsToCsv(CACHE_COLUMNS, info.tiers)}
            />
          </>
        )}
      </div>
      {!readable ? (
        <p className="system-muted">
          The cache counters need the analytics read permission (analysts and admins).
        </p>
      ) : info ? (
        <>
          <p className="system-muted">
            Backend: <strong>{info.backend}</strong>.{" "}
            {info.perProcess && "The counters are this server process's, not the whole service's."}
          </p>
          <DataTable
            caption="Cache tiers"
            columns={CACHE_COLUMNS}
            rows={info.tiers}
            rowKey={(tier) => tier.name}
            rowHeader="tier"
          />
          <p className="system-muted system-note">
            Hit rate: hits / lookups. Memory: bytes held (l1: the cached answers; l2: Redis's
            used memory), exported in bytes. A tier that cannot be reached has no entries or
            memory figure.
          </p>
        </>
      ) : result.error ? (
        <ApiErrorState error={result.error} what="the cache counters" onRetry={onRefresh} />
      ) : (
        <div aria-busy="true" aria-label="Loading the cache counters">
          <Skeleton height="6rem" />
        </div>
      )}
    </section>
  );
}
