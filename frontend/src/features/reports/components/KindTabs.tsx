import { useRef, type KeyboardEvent } from "react";

import { KINDS, type KindSlug } from "@/features/reports/lib/period";

export interface KindTabsProps {
  value: KindSlug;
  onChange: (kind: KindSlug) => void;
  /** The id of the panel the tabs control. */
  panelId: string;
  idPrefix: string;
}

/** Daily / Weekly / Monthly as tabs: arrow keys, Home and End move between them. */
export function KindTabs({ value, onChange, panelId, idPrefix }: KindTabsProps) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (event: KeyboardEvent, index: number) => {
    const last = KINDS.length - 1;
    const to =
      event.key === "ArrowRight" ? (index === last ? 0 : index + 1)
      : event.key === "ArrowLeft" ? (index === 0 ? last : index - 1)
      : event.key === "Home" ? 0
      : event.key === "End" ? last
      : null;
    if (to === null) return;
    event.preventDefault();
    const kind = KINDS[to];
    if (kind) onChange(kind.slug);
    tabs.current[to]?.focus();
  };
  return (
    <div className="report-tabs" role="tablist" aria-label="Report kind">
      {KINDS.map((kind, index) => {
        const selected = kind.slug === value;
        return (
          <button
            key={kind.slug}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            id={`${idPrefix}-${kind.slug}`}
            type="button"
            role="tab"
            className="report-tabs__tab"
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(kind.slug)}
            onKeyDown={(event) => move(event, index)}
          >
            {kind.label}
          </button>
        );
      })}
    </div>
  );
}
