import type { Column } from "@/components/table/columns";
import { formatMoney, formatPercent } from "@/lib/format";

interface Kind {
  sortable?: boolean;
}

/**
 * Makes money columns in ``currency``: the export writes the exact decimal strings, the
 * screen shows them to the cent.
 */
export function moneyColumns<T>(currency: string, { sortable }: Kind = {}) {
  return (id: string, header: string, amount: (row: T) => string): Column<T> => ({
    id,
    header,
    value: amount,
    cell: (row) => formatMoney(amount(row), currency),
    numeric: true,
    sortable,
  });
}

/** A percentage column (values in percent; "—" where undefined). */
export function percentColumn<T>(
  id: string,
  header: string,
  percent: (row: T) => number | null | undefined,
  { sortable }: Kind = {},
): Column<T> {
  return {
    id,
    header,
    value: percent,
    cell: (row) => formatPercent(percent(row)),
    numeric: true,
    sortable,
  };
}
