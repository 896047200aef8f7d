// The catalog's whole view lives in the URL, like the period does (lib/period.ts):
//   ?q=boot&category=12&brand=Acme&min=10&max=99.99&stock=in&sort=PRICE&dir=DESC
// Anything missing or malformed is left out instead of failing the page.

import type { ProductFilter, ProductSortField, SortDirection } from "@/gql/graphql";

export const SORT_FIELDS = ["NAME", "SKU", "PRICE", "STOCK"] as const satisfies readonly ProductSortField[];
export type CatalogSortField = (typeof SORT_FIELDS)[number];

export interface CatalogState {
  /** The search box as typed (trimmed only when sent). */
  q: string;
  category: string | null;
  brand: string | null;
  /** Selling prices, inclusive, as exact decimals ("19.99"). */
  min: string | null;
  max: string | null;
  inStock: boolean;
  sort: CatalogSortField;
  direction: SortDirection;
}

export const DEFAULT_CATALOG: CatalogState = {
  q: "",
  category: null,
  brand: null,
  min: null,
  max: null,
  inStock: false,
  sort: "NAME",
  direction: "ASC",
};

const PRICE = /^\d{1,12}(\.\d{1,2})?$/;
const ID = /^\d{1,18}$/;

/** A price the filter accepts: a non-negative amount with at most two decimals. */
export function isPrice(value: string): boolean {
  return PRICE.test(value);
}

export function readCatalog(params: URLSearchParams): CatalogState {
  const price = (name: string) => {
    const value = params.get(name);
    return value !== null && isPrice(value) ? value : null;
  };
  const category = params.get("category");
  const sort = SORT_FIELDS.find((field) => field === params.get("sort"));
  return {
    q: params.get("q") ?? "",
    category: category !== null && ID.test(category) ? category : null,
    brand: params.get("brand") || null,
    min: price("min"),
    max: price("max"),
    inStock: params.get("stock") === "in",
    sort: sort ?? DEFAULT_CATALOG.sort,
    direction: params.get("dir") === "DESC" ? "DESC" : "ASC",
  };
}

/** ``params`` with ``changes`` written in; defaults leave the URL, other parameters stay. */
export function writeCatalog(params: URLSearchParams, changes: Partial<CatalogState>): URLSearchParams {
  const state = { ...readCatalog(params), ...changes };
  const next = new URLSearchParams(params);
  const put = (name: string, value: string | null) => {
    if (value) next.set(name, value);
    else next.delete(name);
  };
  put("q", state.q);
  put("category", state.category);
  put("brand", state.brand);
  put("min", state.min);
  put("max", state.max);
  put("stock", state.inStock ? "in" : null);
  put("sort", state.sort === DEFAULT_CATALOG.sort ? null : state.sort);
  put("dir", state.direction === DEFAULT_CATALOG.direction ? null : state.direction);
  return next;
}

/** Whether any filter narrows the list (the sort does not). */
export function isFiltered(state: CatalogState): boolean {
  return Boolean(
    state.q.trim() || state.category || state.brand || state.min || state.max || state.inStock,
  );
}

/** The ``filter`` and ``sort`` arguments of ``products`` for this view. */
export function catalogVariables(state: CatalogState): {
  filter: ProductFilter;
  sort: { field: ProductSortField; direction: SortDirection };
} {
  const filter: ProductFilter = {};
  const search = state.q.trim();
  if (search) filter.search = search;
  if (state.category) filter.categoryId = state.category;
  if (state.brand) filter.brand = state.brand;
  if (state.min) filter.minPrice = state.min;
  if (state.max) filter.maxPrice = state.max;
  if (state.inStock) filter.inStock = true;
  return { filter, sort: { field: state.sort, direction: state.direction } };
}
