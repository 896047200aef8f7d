import type { ReactNode } from "react";

import "./panel-header.css";

export interface PanelHeaderProps {
  /** The heading's id, for the section's aria-labelledby. */
  id: string;
  title: string;
  /** What the panel's numbers cover (period-bound or not), under the title. */
  note?: ReactNode;
  /** The panel's controls: filters, sizes, its export button. */
  children?: ReactNode;
}

/** A panel's heading with its note on the left and its controls on the right. */
export function PanelHeader({ id, title, note, children }: PanelHeaderProps) {
  return (
    <div className="panel-head">
      <div>
        <h2 id={id} className="panel-head__title">
          {title}
        </h2>
        {note && <p className="panel-head__note">{note}</p>}
      </div>
      {children && <div className="panel-head__tools">{children}</div>}
    </div>
  );
}
