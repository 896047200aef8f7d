import { Skeleton } from "@/components/ui/Skeleton";

export function CustomersSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the customers">
      <div className="kpi-grid">
        {Array.from({ length: 7 }, (_, i) => (
          <div key={i} className="kpi">
            <Skeleton width="50%" />
            <Skeleton width="40%" height="1.8rem" />
            <Skeleton width="80%" />
          </div>
        ))}
      </div>
      <div className="customers-stack">
        <div className="panel"><Skeleton height="14rem" /></div>
        <div className="panel"><Skeleton height="20rem" /></div>
        <div className="panel"><Skeleton height="16rem" /></div>
      </div>
    </div>
  );
}
