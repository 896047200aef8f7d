import { Link } from "react-router-dom";

import { countColumn, moneyColumn } from "@/components/table/column-kinds";
import type { Column } from "@/components/table/columns";
import type { CatalogCategory, CatalogProduct } from "@/features/products/api/catalog";

import { StockLevel } from "./StockLevel";

/** "Parent › Child" for each category id (top-level categories by their own name). */
export function categoryPaths(categories: readonly CatalogCategory[]): Map<string, string> {
  const names = new Map(categories.map((c) => [c.id, c.name]));
  return new Map(
    categories.map((c) => {
      const parent = c.parentId ? names.get(c.parentId) : undefined;
      return [c.id, parent ? `${parent} › ${c.name}` : c.name];
    }),
  );
}

/** The catalog table's columns; ids of sortable ones are the API's sort fields. */
export function catalogColumns(
  currency: string,
  paths: ReadonlyMap<string, string>,
): Column<CatalogProduct>[] {
  return [
    {
      id: "NAME",
      header: "Product",
      value: (p) => p.name,
      cell: (p) => <Link to={`/products/${p.id}`}>{p.name}</Link>,
      sortable: true,
    },
    { id: "SKU", header: "SKU", value: (p) => p.sku, sortable: true },
    {
      id: "category",
      header: "Category",
      value: (p) => paths.get(p.categoryId) ?? `#${p.categoryId}`,
    },
    { id: "brand", header: "Brand", value: (p) => p.brand ?? "", cell: (p) => p.brand ?? "—" },
    moneyColumn("PRICE", "Price", (p) => p.sellingPrice, currency, { sortable: true }),
    moneyColumn("cost", "Cost", (p) => p.costPrice, currency),
    {
      id: "STOCK",
      header: "Stock",
      value: (p) => p.stockQuantity,
      cell: (p) => <StockLevel stock={p.stockQuantity} reorderLevel={p.reorderLevel} />,
      numeric: true,
      sortable: true,
    },
    countColumn("reorder", "Reorder at", (p) => p.reorderLevel),
    {
      id: "active",
      header: "Active",
      value: (p) => (p.isActive ? "yes" : "no"),
      cell: (p) => (p.isActive ? "Yes" : "No"),
    },
  ];
}

interface Ranked {
  product: { id: string; name: string; sku: string };
}

/**
 * A ranked list's product and SKU columns: the screen shows the SKU under the linked name,
 * the export in a column of its own (see ``onScreen``).
 */
export function productColumns<T extends Ranked>(): Column<T>[] {
  return [
    {
      id: "product",
      header: "Product",
      value: (r) => r.product.name,
      cell: (r) => (
        <>
          <Link to={`/products/${r.product.id}`}>{r.product.name}</Link>
          <span className="table__sub">{r.product.sku}</span>
        </>
      ),
    },
    { id: "sku", header: "SKU", value: (r) => r.product.sku },
  ];
}

/** The columns the screen shows: all but the SKU column that only the export has. */
export function onScreen<T>(columns: readonly Column<T>[]): Column<T>[] {
  return columns.filter((column) => column.id !== "sku");
}
