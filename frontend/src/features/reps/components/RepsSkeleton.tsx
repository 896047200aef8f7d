import { Skeleton } from "@/components/ui/Skeleton";

export function RepsSkeleton({ label }: { label: string }) {
  return (
    <div aria-busy="true" aria-label={label} className="reps-stack">
      <div className="panel"><Skeleton height="20rem" /></div>
      <div className="panel"><Skeleton height="14rem" /></div>
    </div>
  );
}
