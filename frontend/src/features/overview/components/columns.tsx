import type { Column } from "@/components/table/columns";
import { formatChange, formatCount, formatMoney, formatPercent } from "@/lib/format";

import { LiveValue } from "./LiveValue";

// The Overview tables' column kinds: the CSV gets the raw value (money as the API's exact
// decimal, percentages in percent), the screen the formatted one.

/** An amount in the shop currency; ``live`` highlights it when a live update changes it. */
export function moneyColumn<T>(
  id: string,
  header: string,
  amount: (row: T) => string,
  currency: string,
  { live = false } = {},
): Column<T> {
  return {
    id,
    header,
    value: amount,
    cell: (row) => {
      const text = formatMoney(amount(row), currency);
      return live ? <LiveValue value={amount(row)}>{text}</LiveValue> : text;
    },
    numeric: true,
  };
}

export function countColumn<T>(id: string, header: string, value: (row: T) => number): Column<T> {
  return { id, header, value, cell: (row) => formatCount(value(row)), numeric: true };
}

/** A share or margin in percent ("23.5%"); "—" when undefined. */
export function percentColumn<T>(
  id: string,
  header: string,
  value: (row: T) => number | null | undefined,
): Column<T> {
  return { id, header, value, cell: (row) => formatPercent(value(row)), numeric: true };
}

/** A signed change in percent ("+12.3%"); "—" without a comparison base. */
export function changeColumn<T>(
  id: string,
  header: string,
  value: (row: T) => number | null | undefined,
): Column<T> {
  return { id, header, value, cell: (row) => formatChange(value(row))?.text ?? "—", numeric: true };
}
