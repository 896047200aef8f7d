import { Skeleton } from "@/components/ui/Skeleton";

import "./layout.css";

/** The dashboard's frame while it learns who is signed in: no flash of the sign-in page. */
export function FullPageSkeleton() {
  return (
    <div className="layout" aria-busy="true" aria-label="Loading the dashboard" role="status">
      <div className="sidebar">
        <p className="sidebar__brand">ShopX</p>
      </div>
      <div className="main">
        <Skeleton width="14rem" height="1.75rem" />
        <div className="full-page-skeleton__body">
          <Skeleton height="6rem" />
          <Skeleton height="14rem" />
        </div>
      </div>
    </div>
  );
}
