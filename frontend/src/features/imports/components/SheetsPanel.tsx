import { useId, useState } from "react";

import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import { RelativeTime } from "@/components/ui/RelativeTime";
import { Skeleton } from "@/components/ui/Skeleton";
import { formatCount } from "@/lib/format";

import { removeSheet, syncSheet, type Sheet } from "../api/sheets";
import type { SheetsList } from "../hooks/use-sheets";
import { ConnectSheetForm } from "./ConnectSheetForm";
import { StateBadge } from "./StateBadge";

export interface SheetsPanelProps {
  list: SheetsList;
  timezone: string;
  /** Admins sync, remove and connect sheets; others see the list. */
  canWrite: boolean;
  /** A sync started: follow its import. */
  onSync: (importId: string) => void;
}

/** The registered Google Sheets, their last sync; an admin's buttons to sync, remove, connect. */
export function SheetsPanel({ list, timezone, canWrite, onSync }: SheetsPanelProps) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const { sheets, error, reload } = list;
  return (
    <section className="panel import-sheets" aria-labelledby={id}>
      <PanelHeader
        id={id}
        title="Google Sheets"
        note="Each registered sheet is synced on a schedule through the same importer; a sync adds only rows not imported before."
      />
      {problem && (
        <p className="import-problem" role="alert">
          {problem}
        </p>
      )}
      {sheets ? (
        sheets.length === 0 ? (
          <EmptyState title="No sheets connected">
            {canWrite
              ? "Connect a sheet below with its CSV export URL (File › Share › Publish to web, or a link-shared sheet), or a private one with a service account."
              : "An admin can connect a Google Sheet here; its sales are then synced on a schedule."}
          </EmptyState>
        ) : (
          <table className="table import-sheets__table">
            <caption>Connected sheets</caption>
            <thead>
              <tr>
                <th scope="col">Sheet</th>
                <th scope="col">Last sync</th>
                <th scope="col">State</th>
                <th scope="col" className="num">Imported</th>
                <th scope="col">Last error</th>
                {canWrite && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {sheets.map((sheet) => (
                <SheetRow
                  key={sheet.id}
                  sheet={sheet}
                  timezone={timezone}
                  canWrite={canWrite}
                  onSync={onSync}
                  onChanged={reload}
                  onProblem={setProblem}
                />
              ))}
            </tbody>
          </table>
        )
      ) : error ? (
        <div className="notice notice--error" role="alert">
          <h3 className="notice__title">The sheets could not be loaded</h3>
          <p className="notice__detail">{error}</p>
          <p className="notice__actions">
            <button type="button" className="button" onClick={reload}>
              Try again
            </button>
          </p>
        </div>
      ) : (
        <div aria-busy="true" aria-label="Loading the sheets">
          <Skeleton height="4rem" />
        </div>
      )}
      {canWrite && <ConnectSheetForm onConnected={reload} />}
    </section>
  );
}

interface SheetRowProps {
  sheet: Sheet;
  timezone: string;
  canWrite: boolean;
  onSync: (importId: string) => void;
  onChanged: () => void;
  onProblem: (problem: string | null) => void;
}

function SheetRow({ sheet, timezone, canWrite, onSync, onChanged, onProblem }: SheetRowProps) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const act = async (what: string, action: () => Promise<void>) => {
    setBusy(true);
    onProblem(null);
    try {
      await action();
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      onProblem(`${sheet.name} could not be ${what}: ${reason}.`);
    } finally {
      setBusy(false);
    }
  };
  const sync = () =>
    act("synced", async () => {
      const started = await syncSheet(sheet.id);
      onSync(String(started.import_id));
      onChanged();
    });
  const remove = () =>
    act("removed", async () => {
      await removeSheet(sheet.id);
      setConfirming(false);
      onChanged();
    });
  const report = sheet.last_report;
  return (
    <tr>
      <th scope="row">
        {sheet.name}
        <span className="table__sub import-sheets__source">{sheet.source}</span>
      </th>
      <td>{sheet.last_synced_at ? <RelativeTime at={sheet.last_synced_at} timezone={timezone} /> : "Never"}</td>
      <td>
        <StateBadge state={sheet.last_state} />
      </td>
      <td className="num">
        {report ? formatCount(report.imported) : "—"}
        {report && report.failed > 0 && <span className="table__sub">{formatCount(report.failed)} failed</span>}
      </td>
      <td className={sheet.last_error ? "import-sheets__error" : undefined}>{sheet.last_error ?? "—"}</td>
      {canWrite && (
        <td>
          {confirming ? (
            <div className="import-confirm" role="group" aria-label={`Confirm removing ${sheet.name}`}>
              <p>Remove {sheet.name}? Rows it imported stay.</p>
              <button type="button" className="button button--danger" onClick={() => void remove()} disabled={busy}>
                Yes, remove
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)} disabled={busy}>
                Cancel
              </button>
            </div>
          ) : (
            <div className="import-sheets__actions">
              <button
                type="button"
                className="button"
                onClick={() => void sync()}
                disabled={busy || sheet.last_state === "running" || sheet.last_state === "queued"}
                aria-label={`Sync ${sheet.name} now`}
              >
                Sync now
              </button>
              <button
                type="button"
                className="button"
                onClick={() => setConfirming(true)}
                disabled={busy}
                aria-label={`Remove ${sheet.name}`}
              >
                Remove…
              </button>
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
