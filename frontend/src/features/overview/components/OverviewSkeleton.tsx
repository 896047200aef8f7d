import { FigureCardsSkeleton } from "@/components/ui/FigureCard";
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
      <FigureCardsSkeleton count={7} />
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
