import { DataTable } from "@/components/table/DataTable";
import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv } from "@/components/table/columns";
import { Skeleton } from "@/components/ui/Skeleton";
import type { CacheInfo } from "@/features/system/api/get-system";

import { CACHE_COLUMNS } from "./cache-columns";

export interface CachePanelProps {
  /** The caller may read the counters (else they are not asked for). */
  readable: boolean;
  /** The counters, when asked for. */
  info: CacheInfo | null | undefined;
  /** They are being asked for again. */
  refreshing: boolean;
  onRefresh: () => void;
}

/** The response cache's tiers: hits, misses, hit rate and size, of the process that answered. */
export function CachePanel({ readable, info, refreshing, onRefresh }: CachePanelProps) {
  return (
    <section className="panel system-panel system-cache" aria-labelledby="system-cache">
      <div className="system-panel__bar">
        <h2 id="system-cache">Cache</h2>
        {info && (
          <>
            <button type="button" className="button" onClick={onRefresh} disabled={refreshing}>
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
      ) : !info ? (
        <div aria-busy="true" aria-label="Loading the cache counters">
          <Skeleton height="6rem" />
        </div>
      ) : (
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
      )}
    </section>
  );
}
