import { Skeleton } from "@/components/ui/Skeleton";

/** What shows while a page's code loads, the first time it is visited. */
export function Loading() {
  return (
    <div className="main" aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading…
      </span>
      <Skeleton width="12rem" height="1.75rem" />
    </div>
  );
}
