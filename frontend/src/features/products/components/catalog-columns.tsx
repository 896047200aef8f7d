import { Link } from "react-router-dom";

import type { Column } from "@/components/table/columns";
import type { CatalogCategory, CatalogProduct } from "@/features/products/api/catalog";
import { formatCount, formatMoney } from "@/lib/format";

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
    {
      id: "PRICE",
      header: "Price",
      value: (p) => p.sellingPrice,
      cell: (p) => formatMoney(p.sellingPrice, currency),
      numeric: true,
      sortable: true,
    },
    {
      id: "cost",
      header: "Cost",
      value: (p) => p.costPrice,
      cell: (p) => formatMoney(p.costPrice, currency),
      numeric: true,
    },
    {
      id: "STOCK",
      header: "Stock",
      value: (p) => p.stockQuantity,
      cell: (p) => <StockLevel stock={p.stockQuantity} reorderLevel={p.reorderLevel} />,
      numeric: true,
      sortable: true,
    },
    {
      id: "reorder",
      header: "Reorder at",
      value: (p) => p.reorderLevel,
      cell: (p) => formatCount(p.reorderLevel),
      numeric: true,
    },
    {
      id: "active",
      header: "Active",
      value: (p) => (p.isActive ? "yes" : "no"),
      cell: (p) => (p.isActive ? "Yes" : "No"),
    },
  ];
}
