import { createContext, useContext, useState, type ReactNode } from "react";

/**
 * Which answer the page shows (its operation's key): a value that changes under the same
 * view was updated live; one that changes with the view (another period) was not.
 */
export const ViewContext = createContext<number>(0);

interface Seen {
  view: number;
  value: string;
  updates: number;
}

/**
 * Its children, briefly highlighted each time ``value`` changes while the view stays the
 * same. Each update swaps between two animations of the same look, which restarts it
 * without remounting the children.
 */
export function LiveValue({
  value,
  block = false,
  className,
  children,
}: {
  value: string;
  block?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const view = useContext(ViewContext);
  const [seen, setSeen] = useState<Seen>({ view, value, updates: 0 });
  let { updates } = seen;
  if (seen.view !== view || seen.value !== value) {
    updates = seen.view === view ? seen.updates + 1 : 0;
    setSeen({ view, value, updates });
  }
  const classes = [className, "live-value"];
  if (updates > 0) classes.push("live-value--updated", `live-value--pulse-${updates % 2}`);
  const Tag = block ? "div" : "span";
  return (
    <Tag className={classes.filter(Boolean).join(" ")} data-updated={updates > 0 || undefined}>
      {children}
    </Tag>
  );
}
