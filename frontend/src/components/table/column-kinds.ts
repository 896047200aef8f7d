// Columns of the common kinds, so a table's definition says only what differs: the export
// gets the raw value (an exact decimal string for money), the screen its formatted text.

import { formatCount, formatMoney, formatPercent } from "@/lib/format";

import type { Column } from "./columns";

/** An amount in the shop currency. */
export function moneyColumn<T>(
  id: string,
  header: string,
  amount: (row: T) => string,
  currency: string,
): Column<T> {
  const cell = (row: T) => formatMoney(amount(row), currency);
  return { id, header, value: amount, cell, numeric: true };
}

/** A whole count. */
export function countColumn<T>(id: string, header: string, count: (row: T) => number): Column<T> {
  return { id, header, value: count, cell: (row) => formatCount(count(row)), numeric: true };
}

/** A percentage given in percent (23.5 is 23.5%); "—" when undefined. */
export function percentColumn<T>(
  id: string,
  header: string,
  percent: (row: T) => number | null | undefined,
): Column<T> {
  return { id, header, value: percent, cell: (row) => formatPercent(percent(row)), numeric: true };
}
