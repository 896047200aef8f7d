import { Skeleton } from "@/components/ui/Skeleton";

export function ProfitSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the profit figures">
      <div className="kpi-grid">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="kpi">
            <Skeleton width="40%" />
            <Skeleton width="70%" height="1.8rem" />
            <Skeleton width="60%" />
          </div>
        ))}
      </div>
      <div className="panel profit-margin">
        <Skeleton width="30%" height="1.4rem" />
        <Skeleton height="16rem" />
      </div>
      <div className="profit-breakdowns">
        <div className="panel"><Skeleton height="12rem" /></div>
        <div className="panel"><Skeleton height="12rem" /></div>
      </div>
    </div>
  );
}
