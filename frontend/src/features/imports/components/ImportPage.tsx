import { useCallback, useEffect, useState } from "react";

import { ApiErrorState } from "@/components/ui/ApiErrorState";
import { Skeleton } from "@/components/ui/Skeleton";
import { useSession } from "@/hooks/use-session";

import { useRecentImports } from "../api/get-imports";
import { useSheets } from "../hooks/use-sheets";
import type { ImportRecord } from "../lib/imports";
import { ImportDetails } from "./ImportDetails";
import { RecentImports } from "./RecentImports";
import { SheetsPanel } from "./SheetsPanel";
import { UploadPanel } from "./UploadPanel";
import "../imports.css";

/** The import shown in detail: its id, and the record when an upload's answer gave it. */
interface Shown {
  id: string;
  known: ImportRecord | null;
}

/** Sales in: upload a CSV (admins), follow it, read its report; the recent imports and the
 * Google Sheets synced into the shop. Analysts read; the route keeps viewers out. */
export function ImportPage() {
  const session = useSession();
  const canWrite = session.isAdmin && session.can("WRITE");
  const recent = useRecentImports();
  const sheets = useSheets();
  const [shown, setShown] = useState<Shown | null>(null);
  const shop = recent.result.data?.shopInfo;
  useEffect(() => {
    document.title = shop ? `Import · ${shop.name}` : "Import";
  }, [shop]);

  const { refresh } = recent;
  const reloadSheets = sheets.reload;
  // A new or ended import changes the lists: they are asked for again.
  const onEnded = useCallback(() => {
    refresh();
    reloadSheets();
  }, [refresh, reloadSheets]);
  const onUploaded = useCallback(
    (record: ImportRecord) => {
      setShown({ id: record.id, known: record });
      refresh();
    },
    [refresh],
  );
  const onSelect = useCallback((record: ImportRecord) => setShown({ id: record.id, known: record }), []);
  const onSync = useCallback(
    (importId: string) => {
      setShown({ id: importId, known: null });
      refresh();
    },
    [refresh],
  );

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Import</h1>
          <p className="page-header__sub">
            {canWrite
              ? "Sales files and Google Sheets into the shop's data; each import reports what it did, row by row."
              : "The imports of sales files and Google Sheets, with their reports (an admin uploads and connects)."}
          </p>
        </div>
      </header>
      <div className="import-grid">
        {canWrite && <UploadPanel onImport={onUploaded} />}
        {shown && shop && (
          <ImportDetails
            id={shown.id}
            known={shown.known}
            timezone={shop.timezone}
            onEnded={onEnded}
            onClose={() => setShown(null)}
          />
        )}
        {recent.imports && shop ? (
          <RecentImports
            imports={recent.imports}
            totalCount={recent.totalCount}
            timezone={shop.timezone}
            selected={shown?.id ?? null}
            onSelect={onSelect}
          />
        ) : recent.result.error ? (
          <ApiErrorState error={recent.result.error} what="the imports" onRetry={refresh} />
        ) : (
          <div className="panel" aria-busy="true" aria-label="Loading the imports">
            <Skeleton height="10rem" />
          </div>
        )}
        <SheetsPanel list={sheets} timezone={shop?.timezone ?? "UTC"} canWrite={canWrite} onSync={onSync} />
      </div>
    </>
  );
}
