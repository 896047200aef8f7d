import { useId } from "react";

import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { DataTable } from "@/components/table/DataTable";
import { countColumn, moneyColumn } from "@/components/table/column-kinds";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { TopCustomer } from "@/features/customers/api/get-customers";
import { SEGMENT_LABELS } from "@/features/customers/utils/segments";
import { TOP_LIMITS, type TopLimit } from "@/features/customers/utils/view";
import { formatCount, formatDate } from "@/lib/format";

interface Ranked extends TopCustomer {
  rank: number;
}

interface Facts {
  currency: string;
  timezone: string;
}

const rfm = (score: number | null | undefined) => (score == null ? "–" : String(score));

function RfmCell({ row }: { row: TopCustomer }) {
  if (row.rfmScore == null) return <>—</>;
  return (
    <span className="rfm">
      <abbr title="Recency">R</abbr>
      {rfm(row.recencyScore)} <abbr title="Frequency">F</abbr>
      {rfm(row.frequencyScore)} <abbr title="Monetary">M</abbr>
      {rfm(row.monetaryScore)}
    </span>
  );
}

function screenColumns({ currency, timezone }: Facts): Column<Ranked>[] {
  return [
    { id: "rank", header: "#", value: (row) => row.rank, numeric: true },
    {
      id: "customer",
      header: "Customer",
      value: (row) => row.customer.name,
      cell: (row) => (
        <>
          {row.customer.name}
          <span className="table__sub">{row.customer.email}</span>
        </>
      ),
    },
    countColumn("orders", "Orders", (row) => row.orderCount),
    moneyColumn("spent", "Spent", (row) => row.totalSpent, currency),
    moneyColumn("aov", "AOV", (row) => row.averageOrderValue, currency),
    {
      id: "lastOrder",
      header: "Last order",
      value: (row) => row.lastOrderDate,
      cell: (row) => (row.lastOrderDate ? formatDate(row.lastOrderDate, timezone) : "—"),
    },
    {
      id: "daysSince",
      header: "Days since",
      value: (row) => row.daysSinceLastOrder,
      cell: (row) => (row.daysSinceLastOrder == null ? "—" : formatCount(row.daysSinceLastOrder)),
      numeric: true,
    },
    {
      id: "rfm",
      header: "RFM",
      value: (row) => row.rfmScore,
      cell: (row) => <RfmCell row={row} />,
    },
    { id: "segment", header: "Segment", value: (row) => SEGMENT_LABELS[row.segment] },
    moneyColumn("lifetimeValue", "Lifetime value", (row) => row.lifetimeValue, currency),
  ];
}

/** The export spells out what the screen packs into one cell (name and email, R/F/M). */
function exportColumns(columns: Column<Ranked>[]): Column<Ranked>[] {
  return columns.flatMap((column): Column<Ranked>[] => {
    if (column.id === "customer") {
      return [
        { id: "name", header: "Name", value: (row) => row.customer.name },
        { id: "email", header: "Email", value: (row) => row.customer.email },
      ];
    }
    if (column.id === "rfm") {
      return [
        { id: "recency", header: "Recency score", value: (row) => row.recencyScore },
        { id: "frequency", header: "Frequency score", value: (row) => row.frequencyScore },
        { id: "monetary", header: "Monetary score", value: (row) => row.monetaryScore },
        column,
      ];
    }
    if (column.id === "rank") return [{ ...column, header: "Rank" }];
    if (column.id === "daysSince") return [{ ...column, header: "Days since last order" }];
    return [column];
  });
}

export interface TopCustomersPanelProps extends Facts {
  rows: TopCustomer[];
  periodName: string;
  limit: TopLimit;
  onLimitChange: (limit: TopLimit) => void;
}

/** The period's best customers by amount spent, with their RFM profile. */
export function TopCustomersPanel(props: TopCustomersPanelProps) {
  const { rows, periodName, limit, onLimitChange } = props;
  const id = useId();
  const ranked = rows.map((row, index) => ({ ...row, rank: index + 1 }));
  const columns = screenColumns(props);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <PanelHeader
        id={`${id}-title`}
        title="Top customers"
        note={
          "Orders, spent and AOV are the period's; last order, days since, RFM scores (1 to 5, " +
          "5 best), segment and lifetime value are over all time."
        }
      >
          <label htmlFor={`${id}-limit`}>Show</label>
          <select
            id={`${id}-limit`}
            value={limit}
            onChange={(event) => onLimitChange(event.target.value as TopLimit)}
          >
            {TOP_LIMITS.map((size) => (
              <option key={size} value={size}>
                Top {size}
              </option>
            ))}
          </select>
          <ExportCsvButton
            filename="top-customers"
            build={async () => columnsToCsv(exportColumns(columns), ranked)}
          />
      </PanelHeader>
      {ranked.length === 0 ? (
        <EmptyState title={`No customer bought anything: ${periodName}`}>
          Pick a longer period above to see who spends most.
        </EmptyState>
      ) : (
        <div className="top-customers">
          <DataTable
            caption={`Top ${ranked.length} customers by amount spent, ${periodName}`}
            columns={columns}
            rows={ranked}
            rowKey={(row) => row.customer.id}
            rowHeader="customer"
          />
        </div>
      )}
    </section>
  );
}
