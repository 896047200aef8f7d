import { Skeleton } from "@/components/ui/Skeleton";

export function OverviewSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the overview">
      <div className="kpi-grid">
        {Array.from({ length: 7 }, (_, i) => (
          <div key={i} className="kpi">
            <Skeleton width="40%" />
            <Skeleton width="70%" height="1.8rem" />
            <Skeleton width="50%" />
          </div>
        ))}
      </div>
      <div className="panels">
        <div className="panel"><Skeleton height="12rem" /></div>
        <div className="panel"><Skeleton height="12rem" /></div>
      </div>
    </div>
  );
}
