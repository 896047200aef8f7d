import { useId } from "react";

import { ExportCsvButton } from "@/components/table/ExportCsvButton";
import { columnsToCsv, type Column } from "@/components/table/columns";
import { EmptyState } from "@/components/ui/EmptyState";
import { PanelHeader } from "@/components/ui/PanelHeader";
import type { Cohort } from "@/features/customers/api/get-customers";
import { HEAT_BUCKETS, heatBucket, monthColumns } from "@/features/customers/utils/heatmap";
import { COHORT_MONTHS, type CohortMonths } from "@/features/customers/utils/view";
import { formatCount, formatMonth, formatPercent } from "@/lib/format";

function cohortColumns(months: number[]): Column<Cohort>[] {
  return [
    { id: "cohort", header: "Cohort month", value: (row) => row.cohortMonth },
    { id: "size", header: "Customers", value: (row) => row.size },
    ...months.map(
      (month): Column<Cohort> => ({
        id: `month-${month}`,
        header: `Month ${month} retention`,
        value: (row) => row.retention[month] ?? null,
      }),
    ),
  ];
}

function HeatCell({ cohort, month }: { cohort: Cohort; month: number }) {
  if (month >= cohort.retention.length) {
    return (
      <td className="heat heat--future">
        <span className="visually-hidden">not yet</span>
      </td>
    );
  }
  const ratio = cohort.retention[month];
  if (ratio == null) return <td className="heat heat--none">—</td>;
  return <td className={`heat heat--${heatBucket(ratio).level}`}>{formatPercent(ratio * 100)}</td>;
}

function Legend() {
  return (
    <ul className="heat-legend" aria-label="Colour scale">
      {HEAT_BUCKETS.map((bucket) => (
        <li key={bucket.level}>
          <span className={`heat-legend__swatch heat heat--${bucket.level}`} aria-hidden="true" />
          {bucket.label}
        </li>
      ))}
    </ul>
  );
}

export interface CohortHeatmapProps {
  cohorts: Cohort[];
  months: CohortMonths;
  onMonthsChange: (months: CohortMonths) => void;
}

/** Monthly acquisition cohorts: who ordered again n months after their first month. */
export function CohortHeatmap({ cohorts, months, onMonthsChange }: CohortHeatmapProps) {
  const id = useId();
  const columns = monthColumns(cohorts);
  const acquired = cohorts.some((cohort) => cohort.size > 0);
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <PanelHeader
        id={`${id}-title`}
        title="Cohort retention"
        note={
          `Customers by the month of their first order, the last ${months} months up to today, ` +
          "not tied to the period. Each cell: the share of the cohort with an order that many " +
          "months later."
        }
      >
          <label htmlFor={`${id}-months`}>Cohorts</label>
          <select
            id={`${id}-months`}
            value={months}
            onChange={(event) => onMonthsChange(event.target.value as CohortMonths)}
          >
            {COHORT_MONTHS.map((count) => (
              <option key={count} value={count}>
                Last {count} months
              </option>
            ))}
          </select>
          <ExportCsvButton
            filename={`cohort-retention-${months}-months`}
            build={async () => columnsToCsv(cohortColumns(columns), cohorts)}
          />
      </PanelHeader>
      {!acquired ? (
        <EmptyState title={`No new customers in the last ${months} months`}>
          Cohorts appear once customers place their first orders.
        </EmptyState>
      ) : (
        <>
          <Legend />
          <div className="heatmap-scroll">
            <table className="table heatmap">
              <caption>Retention by acquisition month</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    Cohort
                  </th>
                  <th scope="col" rowSpan={2} className="num">
                    Customers
                  </th>
                  <th scope="colgroup" colSpan={columns.length} className="heatmap__months">
                    Months after the first order
                  </th>
                </tr>
                <tr>
                  {columns.map((month) => (
                    <th key={month} scope="col" className="num">
                      <span className="visually-hidden">Month </span>
                      {month}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cohorts.map((cohort) => (
                  <tr key={cohort.cohortMonth}>
                    <th scope="row">{formatMonth(cohort.cohortMonth)}</th>
                    <td className="num">{formatCount(cohort.size)}</td>
                    {columns.map((month) => (
                      <HeatCell key={month} cohort={cohort} month={month} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
