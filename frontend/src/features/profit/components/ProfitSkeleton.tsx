import { FigureCardsSkeleton } from "@/components/ui/FigureCard";
import { Skeleton } from "@/components/ui/Skeleton";

export function ProfitSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the profit figures">
      <FigureCardsSkeleton count={6} />
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
