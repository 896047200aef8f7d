import { Skeleton } from "@/components/ui/Skeleton";

function Panel({ height }: { height: string }) {
  return (
    <div className="panel">
      <Skeleton width="35%" />
      <Skeleton height={height} />
    </div>
  );
}

export function OverviewSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the overview" className="overview__body">
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
        <Panel height="15rem" />
        <Panel height="15rem" />
      </div>
      <div className="panels">
        <Panel height="12rem" />
        <Panel height="12rem" />
      </div>
    </div>
  );
}
