import { FigureCardsSkeleton } from "@/components/ui/FigureCard";
import { Skeleton } from "@/components/ui/Skeleton";

export function CustomersSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the customers">
      <FigureCardsSkeleton count={7} />
      <div className="customers-stack">
        <div className="panel"><Skeleton height="14rem" /></div>
        <div className="panel"><Skeleton height="20rem" /></div>
        <div className="panel"><Skeleton height="16rem" /></div>
      </div>
    </div>
  );
}
