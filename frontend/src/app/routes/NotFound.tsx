import { Link } from "react-router-dom";

import { EmptyState } from "@/components/ui/EmptyState";

export function NotFound() {
  return (
    <EmptyState title="No such page">
      This page does not exist (yet). Go to the <Link to="/overview">Overview</Link>.
    </EmptyState>
  );
}
