import type { ReactNode } from "react";

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="notice">
      <h2 className="notice__title">{title}</h2>
      <p>{children}</p>
    </div>
  );
}
