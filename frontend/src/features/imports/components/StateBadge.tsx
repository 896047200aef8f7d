import type { SheetState } from "../api/sheets";
import type { ImportState } from "../lib/imports";

const LABELS: Record<SheetState, string> = {
  never: "Never synced",
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
};

const ICONS: Record<SheetState, string> = {
  never: "–",
  queued: "…",
  running: "↻",
  succeeded: "✓",
  failed: "✕",
};

/** An import's (or a sheet's last sync's) state as a colored badge that says it in words. */
export function StateBadge({ state }: { state: ImportState | SheetState }) {
  const look = state === "never" ? "skipped" : state;
  return (
    <span className={`badge badge--${look}`}>
      <span aria-hidden="true">{ICONS[state]} </span>
      {LABELS[state]}
    </span>
  );
}
