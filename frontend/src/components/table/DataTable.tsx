import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, type ReactNode } from "react";

import type { Column, Sort } from "./columns";

export interface DataTableProps<T> {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The column whose cell names the row (a row header for screen readers). */
  rowHeader?: string;
  sort?: Sort | null;
  onSortChange?: (sort: Sort) => void;
  /** Render only the rows in view, in a scroll box this many pixels high. */
  virtualHeight?: number;
  /** Called when the reader scrolls near the last row (load the next page). */
  onEndReached?: () => void;
  /** What to show under the rows (a "load more" button, a row count). */
  footer?: ReactNode;
}

const ROW_HEIGHT = 38;

/** A table from column definitions; sorting is the server's, rows may be virtualized. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { caption, columns, rows, rowKey, sort, onSortChange, virtualHeight } = props;
  const definitions = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((column) => ({
        id: column.id,
        header: column.header,
        accessorFn: (row: T) => column.value(row),
        cell: (info) => (column.cell ? column.cell(info.row.original) : info.getValue<ReactNode>()),
      })),
    [columns],
  );
  const table = useReactTable({
    data: rows as T[],
    columns: definitions,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => rowKey(row),
    manualSorting: true,
  });
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);
  const scroller = useRef<HTMLDivElement>(null);
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    enabled: virtualHeight !== undefined,
  });
  const items = virtualHeight !== undefined ? virtualizer.getVirtualItems() : null;
  const first = items?.at(0);
  const last = items?.at(-1);
  const lastIndex = last ? last.index : -1;
  const { onEndReached } = props;
  useEffect(() => {
    if (onEndReached && items && lastIndex >= tableRows.length - 10) onEndReached();
  }, [onEndReached, items, lastIndex, tableRows.length]);

  const visible = items
    ? items.flatMap((item) => tableRows.slice(item.index, item.index + 1))
    : tableRows;
  const padTop = first ? first.start : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const width = columns.length;

  return (
    <div
      ref={scroller}
      className={virtualHeight !== undefined ? "table-scroll" : undefined}
      style={virtualHeight !== undefined ? { height: virtualHeight } : undefined}
      tabIndex={virtualHeight !== undefined ? 0 : undefined}
      aria-label={virtualHeight !== undefined ? `${caption} (scrollable)` : undefined}
      role={virtualHeight !== undefined ? "region" : undefined}
    >
      <table className="table" aria-rowcount={virtualHeight !== undefined ? rows.length + 1 : undefined}>
        <caption>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const column = byId.get(header.column.id);
                const sorted = sort?.id === header.column.id ? (sort.desc ? "descending" : "ascending") : undefined;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={column?.numeric ? "num" : undefined}
                    aria-sort={column?.sortable ? (sorted ?? "none") : undefined}
                  >
                    {column?.sortable && onSortChange ? (
                      <button
                        type="button"
                        className="table__sort"
                        onClick={() =>
                          onSortChange({
                            id: header.column.id,
                            desc: sort?.id === header.column.id ? !sort.desc : true,
                          })
                        }
                      >
                        {label}
                        <span aria-hidden="true">
                          {sorted === "descending" ? " ▼" : sorted === "ascending" ? " ▲" : ""}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={width} style={{ height: padTop, padding: 0, border: 0 }} />
            </tr>
          )}
          {visible.map((row) => (
            <tr key={row.id} aria-rowindex={items ? row.index + 2 : undefined}>
              {row.getVisibleCells().map((cell) => {
                const column = byId.get(cell.column.id);
                const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                const className = column?.numeric ? "num" : undefined;
                return cell.column.id === props.rowHeader ? (
                  <th key={cell.id} scope="row" className={className}>
                    {content}
                  </th>
                ) : (
                  <td key={cell.id} className={className}>
                    {content}
                  </td>
                );
              })}
            </tr>
          ))}
          {padBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={width} style={{ height: padBottom, padding: 0, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
      {props.footer}
    </div>
  );
}
