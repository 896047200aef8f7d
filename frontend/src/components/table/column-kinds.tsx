// Columns of the common kinds, so a table's definition says only what differs: the export
// gets the raw value (an exact decimal string for money), the screen its formatted text.

import { formatChange, formatCount, formatMoney, formatPercent } from "@/lib/format";

import type { Column } from "./columns";

/** What a column of a kind may add: whether the server sorts by it. */
type Options = Pick<Column<unknown>, "sortable">;

/** An amount in the shop currency. */
export function moneyColumn<T>(
  id: string,
  header: string,
  amount: (row: T) => string,
  currency: string,
  options: Options = {},
): Column<T> {
  const cell = (row: T) => formatMoney(amount(row), currency);
  return { id, header, value: amount, cell, numeric: true, ...options };
}

/** A whole count. */
export function countColumn<T>(
  id: string,
  header: string,
  count: (row: T) => number,
  options: Options = {},
): Column<T> {
  const cell = (row: T) => formatCount(count(row));
  return { id, header, value: count, cell, numeric: true, ...options };
}

/** A percentage given in percent (23.5 is 23.5%); "—" when undefined. */
export function percentColumn<T>(
  id: string,
  header: string,
  percent: (row: T) => number | null | undefined,
  options: Options = {},
): Column<T> {
  const cell = (row: T) => formatPercent(percent(row));
  return { id, header, value: percent, cell, numeric: true, ...options };
}

/** A signed change in percent ("+12.3%", green up, red down); "—" without a comparison base. */
export function changeColumn<T>(
  id: string,
  header: string,
  change: (row: T) => number | null | undefined,
  options: Options = {},
): Column<T> {
  const cell = (row: T) => {
    const formatted = formatChange(change(row));
    return formatted ? (
      <span className={`change change--${formatted.direction}`}>{formatted.text}</span>
    ) : (
      <span className="change change--none">—</span>
    );
  };
  return { id, header, value: change, cell, numeric: true, ...options };
}
