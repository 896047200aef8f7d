import { useId } from "react";
import { Link } from "react-router-dom";

import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { DataTable } from "@/components/table/DataTable";
import { countColumn, moneyColumn } from "@/components/table/column-kinds";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { LeaderboardRow } from "@/features/reps/api/get-reps";
import { UNKNOWN_REGION } from "@/features/reps/utils/regions";
import { formatRate } from "@/lib/format";

function leaderboardColumns(currency: string, repSearch: string | null): Column<LeaderboardRow>[] {
  return [
    { id: "rank", header: "Rank", value: (row) => row.rank, numeric: true },
    {
      id: "rep",
      header: "Sales rep",
      value: (row) => row.salesRep.name,
      // Two reps may share a name: the link goes by id and the email tells them apart.
      cell: (row) => (
        <>
          {repSearch === null ? (
            row.salesRep.name
          ) : (
            <Link to={`/reps/${row.salesRep.id}${repSearch}`}>{row.salesRep.name}</Link>
          )}
          <span className="table__sub">{row.salesRep.email}</span>
        </>
      ),
    },
    {
      id: "region",
      header: "Region",
      value: (row) => row.salesRep.region ?? UNKNOWN_REGION,
    },
    moneyColumn("sales", "Sales", (row) => row.totalSales, currency),
    countColumn("orders", "Orders", (row) => row.totalOrders),
    countColumn("customers", "Customers", (row) => row.uniqueCustomers),
    moneyColumn("aov", "AOV", (row) => row.averageOrderValue, currency),
    {
      id: "commissionRate",
      header: "Rate (%)",
      value: (row) => row.salesRep.commissionRate,
      cell: (row) => formatRate(row.salesRep.commissionRate),
      numeric: true,
    },
    moneyColumn("commission", "Commission", (row) => row.commissionEarned, currency),
    moneyColumn("profit", "Profit", (row) => row.totalProfit, currency),
  ];
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The export names each rep fully: id, name and email in columns of their own. */
function exportColumns(columns: Column<LeaderboardRow>[]): Column<LeaderboardRow>[] {
  return columns.flatMap((column): Column<LeaderboardRow>[] =>
    column.id === "rep"
      ? [
          { id: "id", header: "Rep ID", value: (row) => row.salesRep.id },
          { id: "name", header: "Name", value: (row) => row.salesRep.name },
          { id: "email", header: "Email", value: (row) => row.salesRep.email },
        ]
      : [column],
  );
}

export interface LeaderboardPanelProps {
  rows: LeaderboardRow[];
  currency: string;
  periodName: string;
  region: string | null;
  regions: string[];
  onRegionChange: (region: string | null) => void;
  /** The period's search string, carried to each rep's page; null: no links (the caller may
   * not read a rep's page). */
  repSearch: string | null;
}

/** Reps with sales in the period, best first, with what they earned in commission. */
export function LeaderboardPanel(props: LeaderboardPanelProps) {
  const { rows, region, regions, onRegionChange, periodName } = props;
  const id = useId();
  const columns = leaderboardColumns(props.currency, props.repSearch);
  const where = region ? ` in ${region}` : "";
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <PanelHeader
        id={`${id}-title`}
        title="Leaderboard"
        note={
          "Reps with recognised sales in the period, by sales; commission is sales × the " +
          "rep's rate."
        }
      >
        <label htmlFor={`${id}-region`}>Rep region</label>
        <select
          id={`${id}-region`}
          value={region ?? ""}
          onChange={(event) => onRegionChange(event.target.value || null)}
        >
          <option value="">All regions</option>
          {regions.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <ExportCsvButton
          filename={region ? `sales-reps-${slug(region)}` : "sales-reps"}
          build={async () => columnsToCsv(exportColumns(columns), rows)}
        />
      </PanelHeader>
      {rows.length === 0 ? (
        <EmptyState title={`No sales${where}: ${periodName}`}>
          No rep{where} has a recognised order in this period. Pick a longer period above
          {region ? " or all regions" : ""}.
        </EmptyState>
      ) : (
        <DataTable
          caption={`Sales reps${where} by sales, ${periodName}`}
          columns={columns}
          rows={rows}
          rowKey={(row) => row.salesRep.id}
          rowHeader="rep"
        />
      )}
    </section>
  );
}
