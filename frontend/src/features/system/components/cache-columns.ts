import type { Column } from "@/components/table/columns";
import type { CacheTier } from "@/features/system/api/get-system";
import { formatBytes } from "@/features/system/lib/format-bytes";
import { formatCount, formatPercent } from "@/lib/format";

const TIERS: Record<string, string> = { l1: "l1 (in-process)", l2: "l2 (Redis)" };

const count = (value: number | null | undefined) => (value == null ? "—" : formatCount(value));

/** The cache tiers' counters; the export writes raw numbers (memory in bytes). */
export const CACHE_COLUMNS: readonly Column<CacheTier>[] = [
  { id: "tier", header: "Tier", value: (tier) => tier.name, cell: (tier) => TIERS[tier.name] ?? tier.name },
  { id: "backend", header: "Backend", value: (tier) => tier.backend },
  { id: "hits", header: "Hits", value: (tier) => tier.hits, cell: (tier) => count(tier.hits), numeric: true },
  {
    id: "misses",
    header: "Misses",
    value: (tier) => tier.misses,
    cell: (tier) => count(tier.misses),
    numeric: true,
  },
  {
    id: "hitRate",
    header: "Hit rate",
    value: (tier) => tier.hitRate,
    cell: (tier) => formatPercent(tier.hitRate),
    numeric: true,
  },
  {
    id: "entries",
    header: "Entries",
    value: (tier) => tier.entries,
    cell: (tier) => count(tier.entries),
    numeric: true,
  },
  {
    id: "memory",
    header: "Memory",
    value: (tier) => tier.memory,
    cell: (tier) => (tier.memory == null ? "—" : formatBytes(tier.memory)),
    numeric: true,
  },
  {
    id: "available",
    header: "Reachable",
    value: (tier) => (tier.available ? "yes" : "no"),
    cell: (tier) => (tier.available ? "Yes" : "No"),
  },
];
